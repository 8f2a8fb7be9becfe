"""`flask --app wish seed|import|export` through Flask's CLI runner on a real database."""

import csv
import json

from sqlalchemy import func, select

from tests.conftest import make_record
from wish import interchange
from wish.cli import SEED_FILE
from wish.extensions import db
from wish.models import AuditEntry, Initiative


def count(model=Initiative):
    return db.session.scalar(select(func.count()).select_from(model))


def seed_rows():
    with SEED_FILE.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_seed_is_idempotent(runner):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    rows = len(seed_rows())
    assert f"added {rows}" in first.output
    audit = count(AuditEntry)
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0 and f"unchanged {rows}" in second.output
    assert count() == rows and count(AuditEntry) == audit


def test_seed_loads_the_real_organisations_as_non_examples(runner):
    runner.invoke(args=["seed"])
    real = db.session.scalars(select(Initiative.name).where(Initiative.example.is_(False))).all()
    assert {"Amici dei Popoli", "Associazione 21 Luglio", "Il Portico", "CSV Padova"} <= set(real)
    assert any("CEV" in name or "European Volunteer Centre" in name for name in real)


def test_seed_data_has_enough_examples_across_europe():
    rows = seed_rows()
    examples = [r for r in rows if r["example"] == "true"]
    assert len(examples) >= 60
    assert len({r["country"] for r in examples}) >= 15


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_is_all_or_nothing(runner, tmp_path, add):
    add(make_record(ref="existing", name="Existing"))
    path = write(tmp_path / "bad.csv",
                 "ref,name,support_types,country\n"
                 "existing,Renamed,food,IT\n"
                 "new-one,Fine,food,IT\n"
                 "new-two,Broken,food,Narnia\n")
    result = runner.invoke(args=["import", path])
    assert result.exit_code != 0
    assert "row 3" in result.output and "'country'" in result.output and "Nothing was imported" in result.output
    db.session.expire_all()
    assert count() == 1
    assert db.session.scalar(select(Initiative.name)) == "Existing"


def test_import_adds_and_updates_with_an_audit_entry(runner, tmp_path, add):
    add(make_record(ref="existing", name="Existing"))
    path = write(tmp_path / "ok.csv", "ref,name,support_types,country\nexisting,Renamed,food,IT\nnew,New,food,FR\n")
    result = runner.invoke(args=["import", path])
    assert result.exit_code == 0 and "added 1, updated 1" in result.output
    renamed = db.session.scalar(select(Initiative).where(Initiative.ref == "existing"))
    assert renamed.name == "Renamed" and renamed.status == "published"
    assert renamed.history[-1].changes["name"] == ["Existing", "Renamed"]
    assert renamed.history[-1].actor == "import:ok.csv"


def test_import_reads_geojson(runner, tmp_path):
    doc = {"type": "FeatureCollection", "features": [{"type": "Feature",
           "geometry": {"type": "Point", "coordinates": [4.35, 50.85]},
           "properties": {"ref": "bxl", "name": "Bruxelles", "support_types": ["food"], "country": "BE"}}]}
    result = runner.invoke(args=["import", write(tmp_path / "in.geojson", json.dumps(doc))])
    assert result.exit_code == 0, result.output
    row = db.session.scalar(select(Initiative))
    assert (row.latitude, row.longitude) == (50.85, 4.35)


def test_export_then_import_round_trip_loses_nothing(runner, tmp_path):
    runner.invoke(args=["seed"])
    for fmt in ("csv", "geojson"):
        first = tmp_path / f"first.{fmt}"
        assert runner.invoke(args=["export", "--format", fmt, str(first)]).exit_code == 0
        with first.open(encoding="utf-8") as f:
            records = interchange.read(f, fmt)
        assert len(records) == count()
        # Load the export into an empty database, export again: the files are identical.
        db.session.query(AuditEntry).delete()
        db.session.query(Initiative).delete()
        db.session.commit()
        assert runner.invoke(args=["import", str(first)]).exit_code == 0
        second = tmp_path / f"second.{fmt}"
        runner.invoke(args=["export", "--format", fmt, str(second)])
        assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
