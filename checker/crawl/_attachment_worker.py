"""The attachment parser worker: `python -m checker.crawl._attachment_worker MEMORY_BYTES`.

Answers each job (data, url, content_type, Limits) with the AttachmentText as a tuple.
Started and killed by the pool in `attachments.py` (see `workers.py`); its address space
is capped so a parser that balloons on a hostile file fails here with MemoryError.
"""

from __future__ import annotations

import sys


def main() -> None:
    from checker.crawl.workers import limit_memory, serve

    limit_memory(sys.argv)
    # Warm the parsers once, not per file.
    import docx  # noqa: F401
    import openpyxl  # noqa: F401
    import pypdf  # noqa: F401

    from checker.crawl.attachments import as_tuple, safe_parse

    serve(lambda job: as_tuple(safe_parse(*job)))


if __name__ == "__main__":
    main()
