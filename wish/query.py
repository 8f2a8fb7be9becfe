"""The search query: one pydantic model validates requests and generates the OpenAPI parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from wish import taxonomy
from wish.errors import InvalidQuery, first_problem

MAX_RADIUS_KM = 500.0
MAX_LIMIT = 200
DEFAULT_LIMIT = 20
DEFAULT_RADIUS_KM = 25.0


def _split_commas(value: Any) -> Any:
    """Accept both `country=IT&country=FR` and `country=IT,FR`."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, (list, tuple)):
        return [part.strip() for item in value for part in str(item).split(",") if part.strip()]
    return value


def _numbers(count: int, name: str):
    def parse(value: Any) -> Any:
        if isinstance(value, str):
            parts = value.split(",")
            if len(parts) != count:
                raise ValueError(f"{name} needs {count} comma-separated numbers")
            try:
                return tuple(float(p) for p in parts)
            except ValueError:
                raise ValueError(f"{name} needs {count} comma-separated numbers") from None
        return value

    return parse


StrList = Annotated[
    list[str],
    BeforeValidator(_split_commas),
    WithJsonSchema({"type": "array", "items": {"type": "string"}}),
]
Point = Annotated[
    tuple[float, float] | None,
    BeforeValidator(_numbers(2, "near")),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+(\.\d+)?,-?\d+(\.\d+)?$", "example": "45.4064,11.8768"}),
]
Box = Annotated[
    tuple[float, float, float, float] | None,
    BeforeValidator(_numbers(4, "bbox")),
    WithJsonSchema({"type": "string", "example": "11.7,45.3,12.0,45.5"}),
]


class SearchQuery(BaseModel):
    """Filters, place and paging for every catalog query."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    country: StrList = Field([], description="ISO 3166-1 alpha-2 codes; several allowed.")
    support: StrList = Field([], description="Support type slugs (see /api/taxonomy); any of them matches.")
    target: StrList = Field([], description="Target group slugs; any of them matches.")
    language: StrList = Field([], description="ISO 639-1 codes of languages spoken; any of them matches.")
    speaks: str | None = Field(
        None, description="ISO 639-1 code of the reader's language: initiatives speaking it come first, "
        "each group in the usual order (nearest first with `near`, else by name).",
    )
    speaks_only: bool = Field(False, description="Only initiatives that speak the `speaks` language.")
    open_now: bool = Field(False, description="Only initiatives open now, in each initiative's own time zone.")
    q: str = Field("", max_length=200, description="Free text, case- and accent-insensitive; every word must match.")
    near: Point = Field(None, description="latitude,longitude: search around this point, nearest first.")
    radius_km: float = Field(DEFAULT_RADIUS_KM, ge=0, le=MAX_RADIUS_KM, description="Radius around `near` in km.")
    bbox: Box = Field(None, description="west,south,east,north in degrees: only initiatives inside.")
    zoom: int = Field(5, ge=0, le=22, description="Map zoom level (for /api/clusters).")
    limit: int = Field(DEFAULT_LIMIT, ge=0, le=MAX_LIMIT, description="Items per page (0-200).")
    offset: int = Field(0, ge=0, le=1_000_000, description="Items to skip.")

    @field_validator("country")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        value = [v.upper() for v in value]
        return taxonomy.known(value, taxonomy.is_country, "unknown country code (use ISO 3166-1 alpha-2, e.g. IT)")

    @field_validator("support")
    @classmethod
    def _support(cls, value: list[str]) -> list[str]:
        return taxonomy.known(value, taxonomy.SUPPORT_SLUGS.__contains__, "unknown support type (see /api/taxonomy)")

    @field_validator("target")
    @classmethod
    def _target(cls, value: list[str]) -> list[str]:
        return taxonomy.known(value, taxonomy.TARGET_SLUGS.__contains__, "unknown target group (see /api/taxonomy)")

    @field_validator("language")
    @classmethod
    def _language(cls, value: list[str]) -> list[str]:
        value = [v.lower() for v in value]
        return taxonomy.known(value, taxonomy.is_language, "unknown language code (use ISO 639-1, e.g. ar)")

    @field_validator("speaks", mode="before")
    @classmethod
    def _speaks(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().lower() or None
            if value is not None and not taxonomy.is_language(value):
                raise ValueError("unknown language code (use ISO 639-1, e.g. ar)")
        return value

    @field_validator("speaks_only")
    @classmethod
    def _speaks_only(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("speaks") is None:
            raise ValueError("speaks_only needs speaks=<ISO 639-1 code>, the language to keep")
        return value

    @field_validator("q")
    @classmethod
    def _q(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("near")
    @classmethod
    def _near(cls, value):
        if value is not None:
            lat, lon = value
            if not -90 <= lat <= 90:
                raise ValueError("latitude must be between -90 and 90")
            if not -180 <= lon <= 180:
                raise ValueError("longitude must be between -180 and 180")
        return value

    @field_validator("bbox")
    @classmethod
    def _bbox(cls, value):
        if value is not None:
            west, south, east, north = value
            if not (-180 <= west <= 180 and -180 <= east <= 180):
                raise ValueError("longitudes must be between -180 and 180")
            if not (-90 <= south <= 90 and -90 <= north <= 90):
                raise ValueError("latitudes must be between -90 and 90")
            if west > east:
                raise ValueError("west must not be greater than east")
            if south > north:
                raise ValueError("south must not be greater than north")
        return value

    def filters_without(self, *fields: str) -> SearchQuery:
        """The same query with some filters cleared (for facets and suggestions)."""
        return self.model_copy(update={f: type(self).model_fields[f].default for f in fields})

    def to_params(self) -> dict[str, str]:
        """The query as URL parameters, leaving out defaults (for links and canonical keys)."""
        params: dict[str, str] = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if value == field.default:
                continue
            if isinstance(value, (list, tuple)):
                params[name] = ",".join(_num(v) for v in value)
            else:
                params[name] = _num(value)
        return params


LIST_PARAMS = ("country", "support", "target", "language")


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_query(args: Mapping[str, Any], defaults: Mapping[str, Any] | None = None) -> SearchQuery:
    """Validate raw parameters (values may be lists); raise InvalidQuery naming the field."""
    data = dict(defaults or {})
    for key, value in args.items():
        if isinstance(value, list) and key not in LIST_PARAMS:
            value = value[-1] if value else ""
        data[key] = value
    try:
        return SearchQuery.model_validate(data)
    except ValidationError as exc:
        raise _invalid(exc) from None


def openapi_parameters(model: type[BaseModel] = SearchQuery) -> list[dict[str, Any]]:
    """OpenAPI 3.1 query parameters generated from a query model's JSON schema."""
    schema = model.model_json_schema()
    params = []
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        description = prop.pop("description", "")
        prop.pop("title", None)
        required = name in schema.get("required", ())
        param = {"name": name, "in": "query", "required": required, "description": description, "schema": prop}
        if name in LIST_PARAMS:
            param.update(style="form", explode=False)
        params.append(param)
    return params


class GeocodeQuery(BaseModel):
    """Parameters of /api/geocode."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    q: str = Field(min_length=2, max_length=200, description="A place name, in any language or script.")
    country: str | None = Field(None, description="Restrict to one ISO 3166-1 alpha-2 country.")
    limit: int = Field(5, ge=1, le=5, description="Candidates to return (at most 5).")

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value:
            value = value.upper()
            if not taxonomy.is_country(value):
                raise ValueError("unknown country code (use ISO 3166-1 alpha-2, e.g. IT)")
        return value or None


class ReverseQuery(BaseModel):
    """Parameters of /api/reverse."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    lat: float = Field(ge=-90, le=90, description="Latitude in degrees.")
    lon: float = Field(ge=-180, le=180, description="Longitude in degrees.")


def validate_params(model: type[BaseModel], args: Mapping[str, Any]) -> BaseModel:
    """Validate single-valued parameters against a model; raise InvalidQuery naming the field."""
    try:
        return model.model_validate(dict(args))
    except ValidationError as exc:
        raise _invalid(exc) from None


def _invalid(exc: ValidationError) -> InvalidQuery:
    field, message = first_problem(exc.errors())
    return InvalidQuery(field or "query", message)
