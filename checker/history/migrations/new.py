"""Write a new migration: `python -m checker.history.migrations.new "what changes"`.

Change `checker/history/tables.py` first; this upgrades a scratch SQLite database to the
current head, lets Alembic compare it with tables.py and writes
`versions/NNNN_<slug>.py` with the operations it found. Read and edit the file: autogenerate
misses renames and server defaults, and a migration must stay portable (SQLite and
PostgreSQL). See docs/history.md.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from checker.history.store import _alembic_config, head_revision, upgrade


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not args[0].strip():
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp, 'scratch.sqlite').as_posix()}")
        upgrade(engine)
        rev_id = f"{int(head_revision()) + 1:04d}"
        with engine.begin() as conn:
            script = command.revision(_alembic_config(conn), message=args[0].strip(), autogenerate=True,
                                      rev_id=rev_id)
        engine.dispose()
    print(script.path if script is not None else "no migration written")  # type: ignore[union-attr]
    return 0


if __name__ == "__main__":
    sys.exit(main())
