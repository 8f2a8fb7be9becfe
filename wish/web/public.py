"""Public pages: the map, the text-only list and one initiative's page."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from wish import finder, taxonomy
from wish.errors import InvalidQuery, NotFound
from wish.mapping import build_map
from wish.query import parse_query
from wish.web import chosen_locale, geocoder, now, snapshot
from wish.web.present import (
    country_label,
    day_names,
    language_label,
    reader_language,
    sort_key,
    support_label,
    target_label,
)

bp = Blueprint("public", __name__)

# URL parameters of the pages that are not search filters.
PAGE_PARAMS = frozenset({"page", "place", "lang", "focus"})


def _search(limit: int, offset: int = 0, suggest: bool = True) -> finder.Results:
    settings = current_app.config["WISH"]
    args = {k: request.args.getlist(k) for k in request.args if k not in PAGE_PARAMS}
    # Initiatives speaking the page's language come first unless the URL names another (speaks=).
    defaults = {"limit": limit, "offset": offset, "radius_km": settings.default_radius_km, "speaks": reader_language()}
    query = parse_query(args, defaults)
    language = str(get_locale() or "")

    def geocode(text: str, country: str | None):
        return geocoder().search(text, country, language=language)

    return finder.find(snapshot(), query, request.args.get("place", ""), geocode, suggest, now())


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 10_000:
        raise InvalidQuery("page", _("The page number must be a whole number from 1."))
    return int(raw)


def _filter_choices() -> dict:
    snap = snapshot()
    return {
        "support": [(t.slug, support_label(t.slug)) for t in taxonomy.SUPPORT_TYPES],
        "target": [(t.slug, target_label(t.slug)) for t in taxonomy.TARGET_GROUPS],
        "country": sorted(((c, country_label(c)) for c in taxonomy.EUROPE), key=lambda p: sort_key(p[1])),
        "language": sorted(((c, language_label(c)) for c in snap.language_codes), key=lambda p: sort_key(p[1])),
    }


@bp.get("/list")
def list_page():
    size = current_app.config["WISH"].page_size
    number = _page_number()
    results = _search(size, (number - 1) * size)
    facets = snapshot().facets(results.query, now())
    return render_template(
        "list.html", results=results, facets=facets, choices=_filter_choices(), page_number=number,
        pages=max(1, -(-results.page.total // size)),
    )


@bp.get("/initiatives/<int:initiative_id>")
def detail_page(initiative_id: int):
    item = snapshot().get(initiative_id)
    if item is None:
        raise NotFound(_("This initiative is not on the map (it may have been removed)."))
    return render_template("detail.html", item=item)


@bp.get("/")
def map_page():
    settings = current_app.config["WISH"]
    results = _search(0, suggest=False)  # validates the filters, resolves the place; the script loads items
    facets = snapshot().facets(results.query, now())
    parts = build_map(settings.tile_url, settings.tile_attribution, _map_options())
    searching = any(key not in ("lang", "focus") for key in request.args)  # phones fold the filters to show results first
    return render_template("map.html", map=parts, results=results, facets=facets, choices=_filter_choices(),
                           searching=searching)


def _map_options() -> dict:
    """What static/js/map.js needs: API addresses and the words it shows, in the reader's language."""
    return {
        "api": {
            "clusters": url_for("api.clusters"), "initiatives": url_for("api.initiatives"),
            "facets": url_for("api.facets"), "geocode": url_for("api.geocode"),
            "one": url_for("api.initiative", initiative_id=0).removesuffix("0"),
            "detail": url_for("public.detail_page", initiative_id=0, lang=None).removesuffix("0"),
        },
        "lang": chosen_locale() or "",  # kept in the links the script builds
        "pageSize": current_app.config["WISH"].page_size,
        "speaks": reader_language(),
        "defaultRadius": current_app.config["WISH"].default_radius_km,
        "labels": {
            "support": {t.slug: support_label(t.slug) for t in taxonomy.SUPPORT_TYPES},
            "target": {t.slug: target_label(t.slug) for t in taxonomy.TARGET_GROUPS},
            "language": {c: language_label(c) for c in snapshot().language_codes},
            "country": {c: country_label(c) for c in taxonomy.EUROPE},
            "days": day_names(),
        },
        "text": {
            "results": _("%(n)s results in this area"), "result": _("1 result in this area"),
            "none": _("Nothing here matches your search."),
            "noneInView": _("Nothing in the visible area. Zoom out or move the map."),
            "nearest": _("Nearest matches further away:"),
            "showNearest": _("Show the nearest matches on the map"),
            "without": _("Without this filter: %(n)s results"),
            "filters": {"support": _("type of support"), "target": _("who it is for"), "language": _("language"),
                        "country": _("country"), "q": _("words"), "near": _("place"), "bbox": _("area"),
                        "open_now": _("open now"), "speaks_only": _("speaks my language")},
            "remove": _("Remove the %(filter)s filter (%(n)s results)"),
            "cluster": _("%(n)s initiatives here: zoom in"),
            "close": _("Close"), "speaks": _("Languages spoken"), "offers": _("Offers"), "for": _("For"),
            "hours": _("Opening hours"), "openNow": _("Open now"), "closedNow": _("Closed now"), "verified": _("Verified on %(date)s"), "example": _("Example listing"),
            "away": _("%(d)s away"), "more": _("More details"), "loading": _("Loading…"),
            "error": _("Could not load the map data. Check your connection; the text-only list works too."),
            "call": _("Call"), "whatsapp": _("WhatsApp"), "website": _("Website"), "email": _("E-mail"),
            "directions": _("Directions"), "osm": _("OpenStreetMap"), "km": _("%(n)s km"), "m": _("%(n)s m"),
            "nearMe": _("Near me"), "locating": _("Finding your location…"),
            "noLocation": _("Your location is not available. Type a place instead."),
            "myLocation": _("My location"), "placeNotFound": _("We could not find this place."),
            "map": _("Map of initiatives"), "zoomIn": _("Zoom in"), "zoomOut": _("Zoom out"),
        },
    }
