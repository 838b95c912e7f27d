"""The history database: every evaluated scan, recorded whole, with its per-profile scores
and its findings, so later scans can be compared with it.

SQLite by default (one file, `<reports>/history.sqlite`), PostgreSQL or any other SQLAlchemy
database by URL (`postgresql+psycopg://user@host/db`): the same code and the same portable
SQL. The schema is created and upgraded by the Alembic migrations in `migrations/`, run to
head every time a History is opened (docs/history.md).

Scans of a site are ordered by `evaluated_at`, then by id: "the previous scan" is the one
evaluated just before, whatever order results were recorded in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, and_, create_engine, delete, event, insert, or_, select
from sqlalchemy.engine import Connection

from checker.history.models import ScanRow, TrendPoint
from checker.history.tables import findings as findings_t
from checker.history.tables import profile_results as profiles_t
from checker.history.tables import scans as scans_t
from checker.results import ScanResult

DB_NAME = "history.sqlite"
DEFAULT_REPORTS_DIR = Path("reports")
MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")


def default_url(reports_dir: Path = DEFAULT_REPORTS_DIR) -> str:
    """The SQLite file under the reports folder."""
    return f"sqlite:///{(Path(reports_dir) / DB_NAME).resolve().as_posix()}"


def database_url(value: str | None, reports_dir: Path = DEFAULT_REPORTS_DIR) -> str:
    """A database URL from what a user typed: a URL as is, a file path as a SQLite file,
    nothing as the default file under the reports folder."""
    if not value:
        return default_url(reports_dir)
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve().as_posix()}"


def site_key(result: ScanResult) -> str:
    """Which site a result belongs to: the site file's id, else the start URL's host name
    (without the port, so a test server on a random port keeps one history)."""
    if result.site:
        return result.site
    return (urlsplit(result.scan.start_url).hostname or result.scan.start_url).lower()


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration's revision id."""
    return ScriptDirectory.from_config(_alembic_config(None)).get_current_head()  # type: ignore[arg-type]


def current_revision(engine: Engine) -> str | None:
    """The revision a database is at (None: never migrated)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema by running the migrations up to `revision`."""
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), revision)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLite leaves foreign keys off unless asked; PostgreSQL always enforces them.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class History:
    """The history database. Use as a context manager, or call `close()`.

    `History(None, reports_dir)` opens (creating) `<reports_dir>/history.sqlite`;
    `History("postgresql+psycopg://…")` any SQLAlchemy URL; a plain path a SQLite file.
    """

    def __init__(self, url: str | None = None, reports_dir: Path = DEFAULT_REPORTS_DIR):
        self.url = database_url(url, reports_dir)
        if self.url.startswith("sqlite:///") and url is None:
            Path(reports_dir).mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        upgrade(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing ------------------------------------------------------------------------------
    def record(self, result: ScanResult, result_path: Path | str | None = None) -> int:
        """Record an evaluated scan; return its id. Recording a result already recorded for
        the site (same bytes) returns the existing id and records nothing."""
        raw = result.model_dump_json()
        digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
        site = site_key(result)
        with self.engine.begin() as conn:
            existing = conn.execute(
                select(scans_t.c.id).where(scans_t.c.site == site, scans_t.c.digest == digest).order_by(scans_t.c.id)
            ).first()
            if existing is not None:
                return existing.id
            scan = result.scan
            scan_id = conn.execute(insert(scans_t).values(
                site=site, start_url=scan.start_url, evaluated_at=result.evaluated_at, as_of=scan.as_of,
                scan_status=scan.status, pages=scan.pages, attachments=scan.attachments,
                fetch_errors=scan.fetch_errors, blocked=scan.blocked, budget_exhausted=scan.budget_exhausted,
                tool_version=result.tool_version, schema_version=result.schema_version, digest=digest,
                result_path=str(result_path) if result_path else "", result_json=raw, recorded_at=_now(),
            )).inserted_primary_key[0]
            if result.profiles:
                conn.execute(insert(profiles_t), [
                    dict(scan_id=scan_id, profile_id=p.id, title=p.title, score=p.score, grade=p.grade,
                         passed=p.counts.pass_, failed=p.counts.fail, unknown=p.counts.unknown,
                         manual=p.counts.manual, not_applicable=p.counts.not_applicable,
                         veto_hits=json.dumps(p.veto_hits, ensure_ascii=False))
                    for p in result.profiles
                ])
            rows = [dict(scan_id=scan_id, profile_id=p.id, item_number=item.number, check_id=check.check_id,
                         status=str(check.status), fingerprint=check.fingerprint)
                    for p in result.profiles for item in p.items for check in item.checks]
            if rows:
                conn.execute(insert(findings_t), rows)
        return scan_id

    def delete(self, scan_id: int) -> bool:
        """Forget a scan (its profile results and findings go with it)."""
        with self.engine.begin() as conn:
            conn.execute(delete(findings_t).where(findings_t.c.scan_id == scan_id))
            conn.execute(delete(profiles_t).where(profiles_t.c.scan_id == scan_id))
            return conn.execute(delete(scans_t).where(scans_t.c.id == scan_id)).rowcount > 0

    # -- reading ------------------------------------------------------------------------------
    def sites(self) -> list[str]:
        """Every site with a recorded scan, sorted."""
        with self.engine.connect() as conn:
            return list(conn.scalars(select(scans_t.c.site).distinct().order_by(scans_t.c.site)))

    def scans(self, site: str, limit: int | None = None) -> list[ScanRow]:
        """The site's scans, oldest first; with `limit`, the newest `limit` of them."""
        query = (select(scans_t.c.id, scans_t.c.site, scans_t.c.start_url, scans_t.c.evaluated_at, scans_t.c.as_of,
                        scans_t.c.scan_status, scans_t.c.pages, scans_t.c.result_path)
                 .where(scans_t.c.site == site).order_by(scans_t.c.evaluated_at.desc(), scans_t.c.id.desc()))
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = list(conn.execute(query))[::-1]
            scores: dict[int, dict[str, float | None]] = {r.id: {} for r in rows}
            if rows:
                for p in conn.execute(select(profiles_t.c.scan_id, profiles_t.c.profile_id,
                                             profiles_t.c.score)
                                      .where(profiles_t.c.scan_id.in_(list(scores)))
                                      .order_by(profiles_t.c.id)):
                    scores[p.scan_id][p.profile_id] = p.score
        return [ScanRow(id=r.id, site=r.site, start_url=r.start_url, evaluated_at=r.evaluated_at,
                        as_of=r.as_of.isoformat(), scan_status=r.scan_status, pages=r.pages,
                        profiles=scores[r.id], result_path=r.result_path) for r in rows]

    def load(self, scan_id: int) -> ScanResult:
        """The recorded result, whole. KeyError when there is no such scan."""
        with self.engine.connect() as conn:
            raw = conn.scalar(select(scans_t.c.result_json).where(scans_t.c.id == scan_id))
        if raw is None:
            raise KeyError(f"no scan {scan_id} in the history")
        return ScanResult.model_validate_json(raw)

    def previous(self, of: ScanResult | str | int, before: int | None = None) -> tuple[int, ScanResult] | None:
        """The scan of the same site evaluated just before.

        `of` is a result (its site and evaluated_at; its own row, when recorded, is skipped),
        a recorded scan id, or a site name — with `before`, the scan before that scan id,
        without, the site's latest scan.
        """
        with self.engine.connect() as conn:
            if isinstance(of, int):
                before, of = of, None
            if before is not None:
                anchor = conn.execute(select(scans_t.c.site, scans_t.c.evaluated_at)
                                      .where(scans_t.c.id == before)).first()
                if anchor is None:
                    raise KeyError(f"no scan {before} in the history")
                site, at = anchor.site, anchor.evaluated_at
                if isinstance(of, str) and of != site:
                    raise ValueError(f"scan {before} is of {site}, not {of}")
                cond = or_(scans_t.c.evaluated_at < at, and_(scans_t.c.evaluated_at == at, scans_t.c.id < before))
            elif isinstance(of, ScanResult):
                site = site_key(of)
                cond = scans_t.c.evaluated_at < of.evaluated_at
            else:
                site, cond = of, None
            query = select(scans_t.c.id).where(scans_t.c.site == site)
            if cond is not None:
                query = query.where(cond)
            found = conn.scalar(query.order_by(scans_t.c.evaluated_at.desc(), scans_t.c.id.desc()).limit(1))
        return None if found is None else (found, self.load(found))

    def trend(self, site: str, profile_id: str, limit: int = 20) -> list[TrendPoint]:
        """The profile's score and counts over the site's newest `limit` scans, oldest first."""
        query = (select(scans_t.c.id, scans_t.c.evaluated_at, scans_t.c.as_of, scans_t.c.scan_status,
                        profiles_t.c.score, profiles_t.c.grade, profiles_t.c.passed,
                        profiles_t.c.failed, profiles_t.c.unknown, profiles_t.c.manual)
                 .join(profiles_t, profiles_t.c.scan_id == scans_t.c.id)
                 .where(scans_t.c.site == site, profiles_t.c.profile_id == profile_id)
                 .order_by(scans_t.c.evaluated_at.desc(), scans_t.c.id.desc()).limit(limit))
        with self.engine.connect() as conn:
            rows = list(conn.execute(query))[::-1]
        return [TrendPoint(scan_id=r.id, evaluated_at=r.evaluated_at, as_of=r.as_of.isoformat(), score=r.score,
                           grade=r.grade, passed=r.passed, failed=r.failed, unknown=r.unknown, manual=r.manual,
                           scan_status=r.scan_status) for r in rows]

    def findings(self, scan_id: int) -> Iterator[tuple[str, str, str, str, str]]:
        """(profile, item number, check id, status, fingerprint) of every check of a scan."""
        with self.engine.connect() as conn:
            yield from conn.execute(select(findings_t.c.profile_id, findings_t.c.item_number, findings_t.c.check_id,
                                           findings_t.c.status, findings_t.c.fingerprint)
                                    .where(findings_t.c.scan_id == scan_id).order_by(findings_t.c.id))
