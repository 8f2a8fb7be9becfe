"""`flask --app wish ...` commands: seed, import, export."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import select
from tqdm import tqdm

from wish import geocoding, interchange, review, staff
from wish.config import ROOT
from wish.errors import InvalidData
from wish.extensions import db
from wish.models import Initiative
from wish.web import geocoder

SEED_FILE = ROOT / "data" / "initiatives.csv"
MIGRATIONS = ROOT / "migrations"


def _progress(total: int, label: str):
    return tqdm(total=total, desc=label, unit="row", disable=total < 200 or not sys.stderr.isatty())


def load_file(path: Path, actor: str) -> review.UpsertResult:
    """Read a CSV or GeoJSON file and write it all, or nothing (InvalidData names row and column)."""
    fmt = interchange.detect_format(path.name)
    with path.open(encoding="utf-8-sig", newline="") as stream:
        records = interchange.read(stream, fmt)
    with _progress(len(records), f"importing {path.name}") as bar:
        return review.upsert(db.session, records, actor=actor, progress=bar.update, locate=geocoder().locate)


def _report(result: review.UpsertResult) -> None:
    click.echo(f"added {result.added}, updated {result.updated}, unchanged {result.unchanged}")


@click.command("seed")
def seed_command():
    """Create or upgrade the schema, then load data/initiatives.csv (idempotent)."""
    upgrade_schema(current_app)
    geocoding.gazetteer()  # builds the place index once, so no worker pays for it on a request
    _report(load_file(SEED_FILE, actor="seed"))


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path):
    """Load a CSV or GeoJSON file as published initiatives, all or nothing."""
    try:
        _report(load_file(path, actor=f"import:{path.name}"))
    except InvalidData as exc:
        raise click.ClickException(f"{path.name}: {exc}. Nothing was imported.") from None


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(interchange.FORMATS), default=None)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def export_command(fmt: str | None, path: Path):
    """Write every initiative to PATH in the format `import` reads."""
    fmt = fmt or interchange.detect_format(path.name)
    rows = db.session.scalars(select(Initiative).order_by(Initiative.id)).all()
    records = (review.to_record(r) for r in tqdm(rows, desc="exporting", disable=len(rows) < 200))
    writer = interchange.write_csv if fmt == "csv" else interchange.write_geojson
    with path.open("w", encoding="utf-8", newline="") as stream:
        count = writer(records, stream)
    click.echo(f"exported {count} initiatives to {path}")


@click.command("geocode")
def geocode_command():
    """Place initiatives saved without coordinates at their town; re-runs skip what is placed."""
    rows = db.session.scalars(select(Initiative).where(Initiative.latitude.is_(None)).order_by(Initiative.id)).all()
    records = [review.to_record(r) for r in rows]
    placed = 0
    with _progress(len(records), "geocoding") as bar:
        for start in range(0, len(records), 500):  # commit as we go: an interrupted run resumes
            result = review.upsert(db.session, records[start : start + 500], actor="geocode", action="geocode",
                                   progress=bar.update, locate=geocoder().locate)
            placed += result.updated
    left = db.session.scalars(select(Initiative).where(Initiative.latitude.is_(None)).order_by(Initiative.id)).all()
    click.echo(f"placed {placed}, could not place {len(left)}")
    for row in left:
        click.echo(f"  {row.ref}: {row.name} ({row.city or 'no town'}, {row.country})")


def init_migrations(app: Flask) -> None:
    """Flask-Migrate (Alembic) for the `flask db` commands and upgrade_schema()."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(MIGRATIONS))


def upgrade_schema(app: Flask) -> None:
    """Create or upgrade the database schema to the newest migration."""
    from flask_migrate import upgrade

    init_migrations(app)
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))


def init_app(app: Flask) -> None:
    for command in (seed_command, import_command, export_command, geocode_command, create_user_command):
        app.cli.add_command(command)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(staff.ROLES), default="curator", show_default=True)
# Not WISH_*: those names are settings, and an unknown one stops start-up.
@click.option("--password", envvar="NEW_STAFF_PASSWORD", default=None,
              help="Read from NEW_STAFF_PASSWORD, else asked for (never put it on the command line).")
def create_user_command(email: str, role: str, password: str | None):
    """Make a staff account (the first one with --role admin)."""
    upgrade_schema(current_app)
    if password is None:
        password = click.prompt("Password (12 characters or more)", hide_input=True, confirmation_prompt=True)
    try:
        user = staff.create_user(db.session, email, password, role)
    except InvalidData as exc:
        raise click.ClickException(f"{exc.field}: {exc.message}") from None
    click.echo(f"created {user.role} {user.email}")
