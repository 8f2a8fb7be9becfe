"""The JSON API: parse the query, ask the catalog, answer with an ETag."""

from __future__ import annotations

import hashlib
import io
from functools import wraps

import orjson
from flask import Blueprint, Response, current_app, jsonify, request
from flask_babel import get_locale
from flask_babel import gettext as _

from wish import finder, geocoding, interchange, taxonomy
from wish.catalog import PUBLIC_FIELDS
from wish.errors import NotFound
from wish.extensions import limiter
from wish.interchange import to_feature
from wish.query import GeocodeQuery, ReverseQuery, SearchQuery, openapi_parameters, parse_query, validate_params
from wish.records import InitiativeRecord
from wish.web import geocoder, snapshot

bp = Blueprint("api", __name__)


def _query() -> SearchQuery:
    args = {k: request.args.getlist(k) for k in request.args}
    settings = current_app.config["WISH"]
    return parse_query(args, {"limit": settings.page_size, "radius_km": settings.default_radius_km})


def catalog_cached(view):
    """Answer 304 when the client holds this (catalog version, URL) already; else add the ETag."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        version = snapshot().version
        key = f"{version}|{request.path}|{sorted(request.args.items(multi=True))}|{view.__name__}"
        etag = hashlib.sha256(key.encode()).hexdigest()[:32]
        # Flask-Compress marks a compressed variant's ETag with ":gzip" or ":br".
        if any(tag.split(":")[0] == etag for tag in request.if_none_match.as_set()):
            response = Response(status=304)
        else:
            response = current_app.make_response(view(*args, **kwargs))
        response.set_etag(etag)
        response.headers["Cache-Control"] = "public, max-age=0, must-revalidate"
        return response

    return wrapper


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok", initiatives=len(snapshot()))


def json_response(body, mimetype: str = "application/json") -> Response:
    """orjson, so ready-made item JSON (orjson.Fragment) is spliced in, not parsed and re-encoded."""
    return Response(orjson.dumps(body), mimetype=mimetype)


@bp.get("/api/initiatives")
@catalog_cached
def initiatives():
    query = _query()
    # Never a dead end: with nothing found, the nearest further away and what other filters would
    # find (not for a bbox: the map then asks again without one).
    results = finder.find(snapshot(), query, suggest=query.bbox is None)
    items = [orjson.Fragment(item) for item in results.page.items_json()]
    body = {"total": results.page.total, "limit": query.limit, "offset": query.offset, "items": items}
    if results.page.total == 0 and query.bbox is None:
        body["suggestions"] = results.suggestions
    return json_response(body)


@bp.get("/api/initiatives.geojson")
@catalog_cached
def initiatives_geojson():
    page = snapshot().search(_query())
    features = [to_feature(item) for item in page.items]
    return json_response({"type": "FeatureCollection", "features": features, "total": page.total},
                         "application/geo+json")


@bp.get("/api/initiatives.csv")
@catalog_cached
def initiatives_csv():
    """The same page of results as CSV; public fields only (staff exports live under /curate)."""
    page = snapshot().search(_query())
    stream = io.StringIO()
    interchange.write_public_csv(page.items, PUBLIC_FIELDS, stream)
    return Response(stream.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="wish-initiatives.csv"'})


@bp.get("/api/initiatives/<int:initiative_id>")
@catalog_cached
def initiative(initiative_id: int):
    snap = snapshot()
    pos = snap.position(initiative_id)
    if pos is None:
        raise NotFound(_("No published initiative has this id."))
    return json_response(orjson.Fragment(snap.item_json(pos)))


@bp.get("/api/clusters")
@catalog_cached
def clusters():
    query = _query()
    found = snapshot().clusters(query)
    return json_response({"zoom": query.zoom, "total": sum(c.count for c in found), "clusters": found})


@bp.get("/api/facets")
@catalog_cached
def facets():
    return json_response(snapshot().facets(_query()))


@bp.get("/api/geocode")
@limiter.limit("60 per minute")
def geocode():
    """Up to 5 places for a name; the query is never logged with the client's address."""
    params = validate_params(GeocodeQuery, request.args.to_dict())
    places = geocoder().search(params.q, params.country, params.limit, language=str(get_locale() or ""))
    response = jsonify(places=[p.to_dict() for p in places])
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.vary.add("Accept-Language")  # online names come in the reader's language
    return response


@bp.get("/api/reverse")
@limiter.limit("60 per minute")
def reverse():
    """The nearest known town to a point (within 50 km), or null; the point is never logged."""
    params = validate_params(ReverseQuery, request.args.to_dict())
    found = geocoding.reverse(params.lat, params.lon)
    return json_response({"place": found.to_dict() if found else None})


@bp.get("/api/taxonomy")
def taxonomy_terms():
    def terms(items):
        return [{"slug": t.slug, "label": _(t.label), "description": _(t.description)} for t in items]

    return jsonify(
        support_types=terms(taxonomy.SUPPORT_TYPES),
        target_groups=terms(taxonomy.TARGET_GROUPS),
        countries=[{"code": c, "name": taxonomy.country_name(c)} for c in taxonomy.EUROPE],
    )


@bp.get("/api/openapi.json")
def openapi():
    return jsonify(openapi_document())


def openapi_document() -> dict:
    """OpenAPI 3.1 for the public API; parameters come from the SearchQuery model."""
    params = {p["name"]: p for p in openapi_parameters()}
    filters = [params[n] for n in ("country", "support", "target", "language", "q", "near", "radius_km", "bbox")]
    paging = [params["limit"], params["offset"]]
    error = {"description": "Invalid parameter", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    item = InitiativeRecord.model_json_schema()

    def op(summary, parameters, extra=None):
        responses = {"200": {"description": "OK"}, "304": {"description": "Not modified (ETag)"}, "400": error}
        responses.update(extra or {})
        return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}

    return {
        "openapi": "3.1.0",
        "info": {"title": "WISH API", "version": "1", "description": "Volunteer initiatives that help refugees in Europe."},
        "paths": {
            "/api/initiatives": op("Search initiatives (JSON); distance_m when near is given", filters + paging),
            "/api/initiatives.geojson": op("Search initiatives (RFC 7946 GeoJSON)", filters + paging),
            "/api/initiatives.csv": op("Search initiatives (CSV, public fields)", filters + paging),
            "/api/initiatives/{id}": {"get": {
                "summary": "One published initiative",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "OK"}, "404": error},
            }},
            "/api/clusters": op("Clusters for a bbox and zoom", filters + [params["zoom"]]),
            "/api/facets": op("Counts by country and support type", filters),
            "/api/geocode": op("Up to 5 places for a name (offline gazetteer)", openapi_parameters(GeocodeQuery),
                               {"429": {"description": "Too many requests"}}),
            "/api/reverse": op("The nearest known town to a point", openapi_parameters(ReverseQuery),
                               {"429": {"description": "Too many requests"}}),
            "/api/taxonomy": {"get": {"summary": "Support types, target groups, countries", "responses": {"200": {"description": "OK"}}}},
            "/healthz": {"get": {"summary": "Liveness", "responses": {"200": {"description": "OK"}}}},
        },
        "components": {"schemas": {
            "Initiative": item,
            "Error": {"type": "object", "required": ["error", "message"], "properties": {
                "error": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}}},
        }},
    }
