"""The attachment parser worker: `python -m checker.crawl._attachment_worker MEMORY_BYTES`.

Reads jobs (data, url, content_type, Limits) from stdin and answers each with the
AttachmentText as a tuple on stdout, one at a time, until stdin closes. Started and
killed by `attachments.WorkerPool`; its address space is capped so a parser that
balloons on a hostile file fails here with MemoryError.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        import resource

        limit = int(sys.argv[1]) if len(sys.argv) > 1 else 0
        if limit > 0:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # no rlimits here: the pool's timeout still bounds a file
        pass
    # Warm the parsers once, not per file.
    import docx  # noqa: F401
    import openpyxl  # noqa: F401
    import pypdf  # noqa: F401

    from checker.crawl.attachments import as_tuple, read_message, safe_parse, write_message

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a library's stray print must not corrupt the message stream
    while True:
        try:
            job = read_message(stdin)
        except EOFError:
            return
        write_message(stdout, as_tuple(safe_parse(*job)))


if __name__ == "__main__":
    main()
