"""The few domain exceptions. Domain code raises them; one handler in wish/web turns them into responses."""

from __future__ import annotations


def first_problem(errors: list[dict], unknown: str = "unknown parameter") -> tuple[str | None, str]:
    """(field, message) of the first error in a pydantic ValidationError.errors() list."""
    err = errors[0]
    field = str(err["loc"][0]) if err["loc"] else None
    if err["type"] == "extra_forbidden":
        return field, unknown
    return field, err["msg"].removeprefix("Value error, ")


class WishError(Exception):
    """Base of every error WISH answers on purpose."""

    status = 400
    code = "error"

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def to_dict(self) -> dict:
        body = {"error": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        return body


class InvalidQuery(WishError):
    """A search parameter is malformed or out of range."""

    code = "invalid_query"

    def __init__(self, field: str, message: str):
        super().__init__(message, field)


class InvalidData(WishError):
    """An imported or submitted row is malformed; `row` counts data rows from 1 (header excluded)."""

    code = "invalid_data"

    def __init__(self, message: str, field: str | None = None, row: int | None = None):
        super().__init__(message, field)
        self.row = row

    def to_dict(self) -> dict:
        body = super().to_dict()
        if self.row is not None:
            body["row"] = self.row
        return body

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field is not None:
            where.append(f"column {self.field!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class NotFound(WishError):
    status = 404
    code = "not_found"


class Forbidden(WishError):
    status = 403
    code = "forbidden"


class Gone(WishError):
    """A link that worked once and no longer does (an expired edit link)."""

    status = 410
    code = "gone"
