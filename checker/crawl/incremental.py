"""The revisit policy of an incremental scan (`checker scan --incremental PREV`).

The crawl walks the site as usual (same frontier, same depths, same budget); only the way
each URL the previous scan stored is obtained changes. See docs/crawling-incremental.md.

1. The homepage, list pages and other navigation pages (every page that is not a detail
   page or a file) are always requested, conditionally when the previous copy has a
   validator: new documents appear there.
2. A detail page or file linked from a home/list page whose content changed in this scan is
   requested (conditionally).
3. A detail page published less than `revalidate_days` ago is requested (conditionally):
   fresh documents get corrected.
4. A detail page published `carry_over_days` ago or more is carried over without a request.
5. Anything else (undated pages, files, documents between the two ages) is carried over
   while the copy is younger than `revalidate_days` (by its fetched_at), and requested
   conditionally once it is older, so every copy is confirmed at least that often.

A 304 copies the previous record, marked `revalidated` with this scan's fetch time; a
carried-over record keeps the previous fetched_at and is marked `carried_over`. URLs the
previous scan did not store as a page are fetched like in any scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..site.records import PageRecord
from ..site.snapshot import PreviousPages

ALWAYS_KINDS = frozenset({"home", "list", "other"})


@dataclass(frozen=True, slots=True)
class Decision:
    carry: bool  # copy the previous record without a request
    validators: dict[str, str] | None  # conditional-request headers, None for a plain GET


PLAIN = Decision(False, None)


def _day(iso: str) -> date | None:
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None


class Revisit:
    def __init__(self, previous: PreviousPages, as_of: date, *, revalidate_days: int = 7, carry_over_days: int = 30):
        self.prev, self.as_of = previous, as_of
        self.revalidate_days, self.carry_over_days = revalidate_days, carry_over_days
        self.changed: set[str] = set()  # URLs linked from a home/list page that changed in this scan

    def decide(self, url: str, is_home: bool, is_file: bool) -> Decision:
        old = self.prev.get(url)
        if old is None or not 200 <= old.status < 300:
            return PLAIN
        ask = Decision(False, old.validators() or None)
        if is_home or (old.kind in ALWAYS_KINDS and not is_file) or url in self.changed:
            return ask
        if old.published is not None:
            age = (self.as_of - old.published).days
            if age >= self.carry_over_days:
                return Decision(True, None)
            if age < self.revalidate_days:
                return ask
        confirmed = _day(old.fetched_at)
        if confirmed is not None and (self.as_of - confirmed).days < self.revalidate_days:
            return Decision(True, None)
        return ask

    def copy(self, url: str, mark: str, fetched_at: str | None) -> PageRecord | None:
        """The previous record of `url` for this snapshot, marked `mark`; its archive
        reference is dropped (it points into the previous scan's WARC)."""
        page = self.prev.record(url)
        if page is None:
            return None
        page.revisit = mark
        if fetched_at:
            page.fetched_at = fetched_at
        page.warc_record, page.warc_offset = "", None
        return page

    def fetched(self, page: PageRecord) -> None:
        """A page fetched in full: when it is a home/list page whose content changed, the
        documents it links are requested rather than carried over."""
        if page.kind not in ("home", "list"):
            return
        old = self.prev.get(page.url)
        if old is None or old.sha256 != page.sha256:
            self.changed.update(link.url for link in page.links)
