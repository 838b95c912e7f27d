"""The page parser worker: `python -m checker.crawl._page_worker MEMORY_BYTES`.

Answers each `pages.PageJob` with `pages.answer(job)`. Started and killed by
`pages.ParserPool` (see `workers.py`); its address space is capped so a page that makes
the parser balloon fails here, not in the crawler.
"""

from __future__ import annotations

import sys


def main() -> None:
    from checker.crawl.workers import limit_memory, serve

    limit_memory(sys.argv)
    from checker.crawl.pages import answer

    serve(answer)


if __name__ == "__main__":
    main()
