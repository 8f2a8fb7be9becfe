"""What a public search answers: the page of results, the place searched near, suggestions. No Flask."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from wish.catalog import Page, Snapshot, Suggestions
from wish.geocoding import Place
from wish.query import SearchQuery


@dataclass
class Results:
    query: SearchQuery
    page: Page
    place: Place | None = None
    place_not_found: bool = False
    suggestions: Suggestions = field(default_factory=Suggestions)


def find(
    snapshot: Snapshot,
    query: SearchQuery,
    place: str = "",
    geocode: Callable[[str, str | None], list[Place]] | None = None,
    suggest: bool = True,
    now: datetime | None = None,
) -> Results:
    """Search; a typed place (when no point is given) is geocoded first; suggest when nothing matches.

    `now` is the instant for the open-now filter (None: the current time).
    """
    found_place, not_found = None, False
    if place.strip() and query.near is None and geocode is not None:
        country = query.country[0] if len(query.country) == 1 else None
        candidates = geocode(place, country)
        if candidates:
            found_place = candidates[0]
            query = query.model_copy(update={"near": (found_place.latitude, found_place.longitude)})
        else:
            not_found = True
    page = snapshot.search(query, now)
    suggestions = snapshot.suggest(query, now) if suggest and page.total == 0 else Suggestions()
    return Results(query, page, found_place, not_found, suggestions)
