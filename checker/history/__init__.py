"""History of scans: every result recorded in a database (SQLite by default, PostgreSQL by
URL), the diff between two scans, and the trend of a profile over past scans.
See docs/history.md."""
