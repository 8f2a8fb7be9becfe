"""The Folium map skeleton for the map page: map, controls, tile settings. No listing data inside it.

Markers are loaded by static/js/map.js from /api/clusters; this module only hands the
Folium map object to that script (see DESIGN.md: an embedded marker per initiative makes a
multi-megabyte page).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from branca.element import MacroElement, Template

EUROPE_CENTER = (50.0, 12.0)
EUROPE_ZOOM = 4


class AttachWish(MacroElement):
    """Calls WISH.attach(map, options) once Folium has created the Leaflet map."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "WISH.attach({{ this._parent.get_name() }}, {{ this.options|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, options: dict):
        super().__init__()
        self._name = "AttachWish"
        self.options = options


@dataclass(frozen=True)
class MapParts:
    html: str  # the map's <div>
    script: str  # the JavaScript that creates it (needs Leaflet and static/js/map.js loaded first)


def build_map(tile_url: str, attribution: str, options: dict) -> MapParts:
    """The map's HTML and script; cached, since they depend on settings and locale only."""
    return _build(tile_url, attribution, json.dumps(options, sort_keys=True))


@lru_cache(maxsize=64)
def _build(tile_url: str, attribution: str, options_json: str) -> MapParts:
    import folium  # 13 MB: loaded by the first map page, not by workers that only answer the API

    fmap = folium.Map(
        location=EUROPE_CENTER, zoom_start=EUROPE_ZOOM, tiles=None, min_zoom=3, control_scale=True,
        world_copy_jump=True,
    )
    # The tiles are added by static/js/map.js once the first results are drawn: on a slow line
    # a screenful of tiles (about 135 KB) would otherwise share it with the answer people came for.
    options = json.loads(options_json)
    options["tiles"] = {"url": tile_url, "attribution": attribution, "maxZoom": 19}
    AttachWish(options).add_to(fmap)
    figure = fmap.get_root()
    figure.render()  # fills figure.html and figure.script
    return MapParts(html=figure.html.render(), script=figure.script.render())
