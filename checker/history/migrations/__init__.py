"""Alembic migrations of the history database, run in code by `checker.history.store.upgrade`
(no alembic.ini). Add one with `checker/history/migrations/new.py`; see docs/history.md."""
