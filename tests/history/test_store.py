"""The history database over real demo scans, and its migrations."""

from __future__ import annotations

import os
import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from checker.history.store import (
    DB_NAME,
    History,
    current_revision,
    database_url,
    head_revision,
    site_key,
    upgrade,
)
from checker.history.tables import metadata


@pytest.fixture
def recorded(demo_scans, tmp_path):
    """A default history under a reports folder holding both demo scans."""
    history = History(None, tmp_path / "reports")
    old_id = history.record(demo_scans.old, demo_scans.old_path)
    new_id = history.record(demo_scans.new, demo_scans.new_path)
    yield history, old_id, new_id
    history.close()


def test_default_database_is_one_sqlite_file_under_the_reports_folder(recorded, tmp_path):
    history, _, _ = recorded
    assert (tmp_path / "reports" / DB_NAME).is_file()
    assert history.url == database_url(None, tmp_path / "reports")
    assert history.engine.dialect.name == "sqlite"


def test_history_lists_both_scans_oldest_first_with_scores(recorded, demo_scans):
    history, old_id, new_id = recorded
    site = site_key(demo_scans.new)
    assert site == "127.0.0.1"  # no site file: the start URL's host, without the random port
    assert history.sites() == [site]
    rows = history.scans(site)
    assert [r.id for r in rows] == [old_id, new_id]
    assert [r.evaluated_at for r in rows] == ["2026-11-21T08:00:00Z", "2026-11-22T08:00:00Z"]
    for row, result in zip(rows, (demo_scans.old, demo_scans.new), strict=True):
        assert row.scan_status == "complete" and row.pages == result.scan.pages > 100
        assert row.profiles == {p.id: p.score for p in result.profiles}
    assert rows[1].result_path == str(demo_scans.new_path)
    assert [r.id for r in history.scans(site, limit=1)] == [new_id]
    assert history.scans("elsewhere.gov.cn") == []


def test_load_gives_back_the_result_whole(recorded, demo_scans):
    history, old_id, new_id = recorded
    assert history.load(new_id) == demo_scans.new
    assert history.load(old_id).model_dump_json() == demo_scans.old.model_dump_json()
    with pytest.raises(KeyError):
        history.load(new_id + 100)


def test_recording_the_same_result_again_records_nothing(recorded, demo_scans):
    history, old_id, _ = recorded
    assert history.record(demo_scans.old) == old_id
    assert len(history.scans(site_key(demo_scans.old))) == 2


def test_previous_is_the_scan_evaluated_before_whatever_the_recording_order(demo_scans, tmp_path):
    with History(str(tmp_path / "h.sqlite")) as history:
        new_id = history.record(demo_scans.new)  # recorded first, evaluated later
        old_id = history.record(demo_scans.old)
        assert history.previous(new_id)[0] == old_id
        assert history.previous("127.0.0.1", before=new_id)[0] == old_id
        assert history.previous(old_id) is None
        found_id, found = history.previous(demo_scans.new)  # a result: its own row is skipped
        assert found_id == old_id and found.evaluated_at == demo_scans.old.evaluated_at
        assert history.previous("127.0.0.1")[0] == new_id  # no anchor: the latest
        with pytest.raises(ValueError):
            history.previous("other-site", before=new_id)


def test_trend_has_a_point_per_scan_and_shows_the_change(recorded, demo_scans):
    history, old_id, new_id = recorded
    points = history.trend("127.0.0.1", "national")
    assert [p.scan_id for p in points] == [old_id, new_id]
    old_national, new_national = (next(p for p in r.profiles if p.id == "national")
                                  for r in (demo_scans.old, demo_scans.new))
    assert (points[0].score, points[0].failed) == (old_national.score, old_national.counts.fail)
    assert (points[1].score, points[1].failed) == (new_national.score, new_national.counts.fail)
    # Two faults fixed, one introduced: the demo's second scan scores higher.
    assert points[1].failed == points[0].failed - 1 and points[1].score > points[0].score
    assert [p.scan_id for p in history.trend("127.0.0.1", "national", limit=1)] == [new_id]
    assert history.trend("127.0.0.1", "no-such-profile") == []


def test_findings_keep_every_check_with_its_fingerprint(recorded, demo_scans):
    history, _, new_id = recorded
    rows = list(history.findings(new_id))
    expected = [(p.id, i.number, c.check_id, str(c.status), c.fingerprint)
                for p in demo_scans.new.profiles for i in p.items for c in i.checks]
    assert [tuple(r) for r in rows] == expected


def test_deleting_a_scan_removes_its_rows(recorded):
    history, old_id, new_id = recorded
    assert history.delete(old_id)
    assert [r.id for r in history.scans("127.0.0.1")] == [new_id]
    assert list(history.findings(old_id)) == []
    assert history.trend("127.0.0.1", "national")[0].scan_id == new_id


def test_a_fresh_database_is_at_head_and_matches_the_tables(tmp_path):
    path = tmp_path / "fresh.sqlite"
    History(str(path)).close()
    engine = create_engine(database_url(str(path)))
    assert current_revision(engine) == head_revision() == "0001"
    assert set(inspect(engine).get_table_names()) == {"alembic_version", "scans", "profile_results", "findings"}
    with engine.connect() as conn:  # tables.py and the migrations describe the same schema
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    engine.dispose()


def test_opening_an_old_database_upgrades_it(tmp_path):
    """A database left at an older revision is brought to head on open (here: from empty
    through every migration, the path a new release's database takes)."""
    path = tmp_path / "old.sqlite"
    sqlite3.connect(path).close()
    engine = create_engine(database_url(str(path)))
    assert current_revision(engine) is None
    upgrade(engine, "base")
    assert current_revision(engine) is None
    engine.dispose()
    with History(str(path)) as history:
        assert current_revision(history.engine) == head_revision()


def test_database_url_accepts_urls_and_paths(tmp_path):
    assert database_url("postgresql+psycopg://u@db/checker") == "postgresql+psycopg://u@db/checker"
    assert database_url(str(tmp_path / "x.sqlite")) == f"sqlite:///{(tmp_path / 'x.sqlite').as_posix()}"
    assert database_url(None, tmp_path).endswith(f"/{DB_NAME}")


@pytest.mark.skipif(not os.environ.get("CHECKER_TEST_DATABASE_URL"),
                    reason="set CHECKER_TEST_DATABASE_URL (e.g. postgresql+psycopg://…) to test another database")
def test_the_same_code_on_the_database_given_by_url(demo_scans):
    """Runs the store against e.g. PostgreSQL. Leaves the database with the test's rows
    removed again; use a scratch database."""
    with History(os.environ["CHECKER_TEST_DATABASE_URL"]) as history:
        site = f"test-{os.getpid()}"
        old = demo_scans.old.model_copy(update={"site": site})
        new = demo_scans.new.model_copy(update={"site": site})
        ids = [history.record(old), history.record(new)]
        try:
            assert [r.id for r in history.scans(site)] == ids
            assert history.load(ids[1]) == new
            assert history.previous(ids[1])[0] == ids[0]
            assert [p.scan_id for p in history.trend(site, "national")] == ids
        finally:
            for scan_id in ids:
                history.delete(scan_id)
