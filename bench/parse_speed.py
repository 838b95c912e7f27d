"""Decode and extraction speed per page, and a digest of what extraction returns.

    .venv/bin/python -m bench.parse_speed [--pages 2000] [--digest] [--corpus]

Builds the benchmark's synthetic portal (`bench/site.py`), then decodes every HTML page
with `checker.crawl.decode.decode` and runs `extract()` on it exactly as the crawler's
`_Crawl.to_page` does (scope of the start URL, the benchmark's scan date, `is_home` for the
home page, the crawler's text cap), timing the two steps apart.

`--digest` prints a SHA-256 over the repr of every `Extracted`, so a speed change can be
shown not to change a single output. `--corpus` digests other pages too, each set apart:
the demo portal's pages (rendered for a fixed day, as its server would send them), the
crawl test fixtures, `../shared/realpages/` when present, and deterministic mutants of all
of those (truncated, tags dropped, slices repeated) for the odd paths clean pages miss.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from checker.crawl.decode import decode
from checker.crawl.extract import extract
from checker.crawl.pages import MAX_TEXT
from checker.crawl.urls import Scope

from .site import AS_OF, build

ROOT = Path(__file__).resolve().parent.parent
REALPAGES = ROOT.parent / "shared" / "realpages"
FIXTURES = ROOT / "tests" / "crawl" / "fixtures"
DEMO_TODAY = date(2026, 3, 15)  # any fixed day: the demo renders its dates relative to it
MUTANTS_PER_PAGE = 6

# (url, body bytes, content type, is_home) for one page as the crawler would receive it.
Page = tuple[str, bytes, str | None, bool]


def bench_pages(n: int, start: str = "http://127.0.0.1:8000/") -> list[Page]:
    pages = []
    for path, (body, ctype) in build(n).pages.items():
        if not ctype.startswith("text/html"):
            continue
        url = start.rstrip("/") + path.removesuffix("index.html")
        pages.append((url, body, ctype, path == "/index.html"))
    return pages


def demo_pages(start: str = "http://127.0.0.1:8001/") -> list[Page]:
    from checker.demo.server import SITE_DIR, _file_reply

    pages = []
    for file in sorted(SITE_DIR.rglob("*.html")):
        rel = file.relative_to(SITE_DIR).as_posix()
        reply = _file_reply(file, DEMO_TODAY)
        url = start + rel.removesuffix("index.html")
        pages.append((url, reply.body, reply.content_type, rel == "index.html"))
    return pages


def _files(folder: Path, start: str) -> list[Page]:
    if not folder.is_dir():
        return []
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".html", ".htm", ".jsp") and p.is_file())
    return [(start + p.relative_to(folder).as_posix(), p.read_bytes(), None, p.stem == "homepage") for p in files]


def fixture_pages() -> list[Page]:
    return _files(FIXTURES, "http://fixture.example.gov.cn/")


def real_pages() -> list[Page]:
    return _files(REALPAGES, "http://real.example.gov.cn/")


def mutants(pages: list[Page], seed: int = 7) -> list[Page]:
    """Damaged copies of `pages`: what hostile or cut-off HTML looks like, reproducibly."""
    rng = random.Random(seed)
    out = []
    for url, body, ctype, home in pages:
        for k in range(MUTANTS_PER_PAGE):
            b = bytearray(body)
            how = k % 3
            if how == 0:  # cut off mid-transfer
                b = b[: rng.randrange(1, len(b) + 1)]
            elif how == 1:  # tags dropped: unbalanced, misnested HTML
                for _ in range(20):
                    i = b.find(b"<", rng.randrange(len(b)))
                    j = b.find(b">", i)
                    if 0 <= i < j:
                        del b[i : j + 1]
            else:  # a slice repeated elsewhere: duplicated links, lists, footers
                i = rng.randrange(len(b))
                j = min(len(b), i + rng.randrange(1, 4000))
                at = rng.randrange(len(b))
                b[at:at] = b[i:j]
            out.append((url, bytes(b), ctype, home and k % 2 == 0))
    return out


def _run(pages: list[Page], start: str, today: date) -> Iterator[tuple[float, float, str]]:
    """(decode seconds, extract seconds, repr of the result) per page."""
    in_scope = Scope(start).contains
    for url, body, ctype, home in pages:
        t0 = time.process_time()
        decoded = decode(body, ctype)
        t1 = time.process_time()
        ex = extract(decoded.text, url, in_scope, today=today, is_home=home, max_text=MAX_TEXT)
        t2 = time.process_time()
        yield t1 - t0, t2 - t1, repr(ex)


def digest(pages: list[Page], start: str, today: date) -> str:
    h = hashlib.sha256()
    for _d, _e, r in _run(pages, start, today):
        h.update(r.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000, help="size of the synthetic portal (URLs)")
    ap.add_argument("--digest", action="store_true", help="print a digest of every extraction result")
    ap.add_argument("--corpus", action="store_true", help="also digest demo, fixture, real and mutant pages")
    ap.add_argument("--repeat", type=int, default=1,
                    help="time the bench site this many times, keep the best (later runs find URLs memoised)")
    args = ap.parse_args(argv)

    start = "http://127.0.0.1:8000/"
    pages = bench_pages(args.pages, start)
    best: tuple[float, float] | None = None
    h = hashlib.sha256()
    for rep in range(args.repeat):
        dec = ext = 0.0
        for d, e, r in _run(pages, start, AS_OF):
            dec += d
            ext += e
            if rep == 0:
                h.update(r.encode("utf-8", "surrogatepass"))
                h.update(b"\0")
        if best is None or dec + ext < sum(best):
            best = (dec, ext)
    dec, ext = best or (0.0, 0.0)
    n = len(pages)
    print(f"bench site: {n} HTML pages (CPU time, best of {args.repeat})")
    print(f"  decode : {1000 * dec / n:7.3f} ms/page {n / dec if dec else 0:9.0f} pages/s")
    print(f"  extract: {1000 * ext / n:7.3f} ms/page {n / ext if ext else 0:9.0f} pages/s")
    if args.digest:
        print(f"  digest bench : {h.hexdigest()}")
    if args.corpus:
        demo, fixtures, real = demo_pages(), fixture_pages(), real_pages()
        sets = [
            ("demo", demo, "http://127.0.0.1:8001/", DEMO_TODAY),
            ("fixtures", fixtures, "http://fixture.example.gov.cn/", AS_OF),
            ("realpages", real, "http://real.example.gov.cn/", AS_OF),
            ("mutants", mutants(demo + fixtures + real), "http://127.0.0.1:8001/", DEMO_TODAY),
        ]
        for name, ps, s, today in sets:
            if not ps:
                print(f"  digest {name:9s}: (no pages)")
                continue
            print(f"  digest {name:9s}: {digest(ps, s, today)}  ({len(ps)} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
