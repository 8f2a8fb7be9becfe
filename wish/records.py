"""The validated shape of one initiative, as imported, exported and served. No Flask."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from wish import hours, taxonomy
from wish.errors import InvalidData, first_problem

# Public fields in the order of data/initiatives.csv; `created` and `updated` follow on export.
COLUMNS: tuple[str, ...] = (
    "ref", "name", "organisation", "description", "support_types", "target_groups", "languages",
    "country", "city", "address", "postcode", "latitude", "longitude", "location_precision",
    "website", "email", "phone", "whatsapp", "opening_hours", "opening_hours_note", "status",
    "verified", "valid_until", "example",
)
LIST_FIELDS = ("support_types", "target_groups", "languages")
TIMESTAMP_COLUMNS: tuple[str, ...] = ("created", "updated")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{4,30}$")


def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def _empty_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _none_to_empty(value: Any) -> Any:
    return "" if value is None else value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


TextList = Annotated[list[str], BeforeValidator(_split_list)]
OptDate = Annotated[date | None, BeforeValidator(_empty_to_none)]
OptDateTime = Annotated[datetime | None, BeforeValidator(_empty_to_none)]


def OptFloat(low: float, high: float):  # noqa: N802 - reads as a type
    return Annotated[Annotated[float, Field(ge=low, le=high)] | None, BeforeValidator(_empty_to_none)]


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_control(value: str) -> str:
    if _CONTROL_CHARS.search(value):
        raise ValueError("contains control characters (e.g. NUL): remove them")
    return value


def Text(max_length: int, min_length: int = 0):  # noqa: N802 - reads as a type
    return Annotated[
        str,
        BeforeValidator(_none_to_empty),
        BeforeValidator(_strip),
        Field(min_length=min_length, max_length=max_length),
        AfterValidator(_no_control),
    ]


class InitiativeRecord(BaseModel):
    """One initiative with every public field; validation names the offending field."""

    model_config = ConfigDict(extra="forbid")

    ref: Text(120) = ""
    name: Text(200, min_length=1)
    organisation: Text(200) = ""
    description: Text(5000) = ""
    support_types: TextList = Field(min_length=1)
    target_groups: TextList = []
    languages: TextList = []
    country: Annotated[str, BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v)]
    city: Text(120) = ""
    address: Text(300) = ""
    postcode: Text(20) = ""
    latitude: OptFloat(-90, 90) = None
    longitude: OptFloat(-180, 180) = None
    location_precision: Annotated[
        Literal[taxonomy.LOCATION_PRECISIONS] | None, BeforeValidator(_empty_to_none)
    ] = None
    website: Text(500) = ""
    email: Annotated[EmailStr | Literal[""], BeforeValidator(_none_to_empty), BeforeValidator(_strip)] = ""
    phone: Text(40) = ""
    whatsapp: Text(40) = ""
    opening_hours: dict[str, list[list[str]]] = {}
    opening_hours_note: Text(300) = ""
    status: Literal[taxonomy.STATUSES] = "published"
    verified: OptDate = None
    valid_until: OptDate = None
    example: bool = False
    created: OptDateTime = None
    updated: OptDateTime = None

    @field_validator("support_types")
    @classmethod
    def _support(cls, value: list[str]) -> list[str]:
        return taxonomy.known(value, taxonomy.SUPPORT_SLUGS.__contains__, "unknown support type")

    @field_validator("target_groups")
    @classmethod
    def _targets(cls, value: list[str]) -> list[str]:
        return taxonomy.known(value, taxonomy.TARGET_SLUGS.__contains__, "unknown target group")

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        return taxonomy.known([v.lower() for v in value], taxonomy.is_language, "unknown ISO 639-1 language code")

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        if not taxonomy.is_country(value):
            raise ValueError(f"{value!r} is not the ISO 3166-1 alpha-2 code of a European country")
        return value

    @field_validator("website")
    @classmethod
    def _website(cls, value: str) -> str:
        if value and not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
            raise ValueError("must be a web address starting with http:// or https://")
        return value

    @field_validator("phone", "whatsapp")
    @classmethod
    def _phone(cls, value: str) -> str:
        if value and not _PHONE.match(value):
            raise ValueError("must be a phone number: digits, spaces and an optional leading +")
        return value

    @field_validator("opening_hours", mode="before")
    @classmethod
    def _hours(cls, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return hours.parse(value or "")
        if isinstance(value, dict):
            unknown = set(value) - set(hours.DAYS)
            if unknown:
                raise ValueError(f"unknown day(s) {', '.join(sorted(map(str, unknown)))}: use mo tu we th fr sa su")
            try:
                return hours.parse(hours.format(value))  # same checks for both forms
            except (TypeError, AttributeError):
                raise ValueError('must look like {"mo": [["09:00", "13:00"]]}') from None
        return value

    @model_validator(mode="after")
    def _point(self) -> InitiativeRecord:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude must be given together")
        if not self.ref:
            self.ref = new_ref(self.name)
        return self


def new_ref(name: str) -> str:
    """A readable unique key for a new initiative: a slug of its name plus random hex."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "initiative"
    return f"{slug}-{secrets.token_hex(3)}"


def validate(data: dict[str, Any], row: int | None = None) -> InitiativeRecord:
    """Validate one row; raise InvalidData naming the row and the first bad column."""
    try:
        return InitiativeRecord.model_validate(data)
    except ValidationError as exc:
        field, message = first_problem(exc.errors(), unknown="unknown column")
        raise InvalidData(message, field=field, row=row) from None


def as_text_row(record: InitiativeRecord, with_timestamps: bool = True) -> dict[str, str]:
    """The CSV form of a record: lists joined with ';', hours in text form, dates ISO."""
    data = record.model_dump()
    row: dict[str, str] = {}
    for column in COLUMNS + (TIMESTAMP_COLUMNS if with_timestamps else ()):
        value = data[column]
        if column in LIST_FIELDS:
            row[column] = ";".join(value)
        elif column == "opening_hours":
            row[column] = hours.format(value)
        elif isinstance(value, bool):
            row[column] = "true" if value else "false"
        elif isinstance(value, (date, datetime)):
            row[column] = value.isoformat()
        elif value is None:
            row[column] = ""
        else:
            row[column] = str(value)
    return row
