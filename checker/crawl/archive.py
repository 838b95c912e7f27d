"""The crawl's proof: every HTTP response it relied on, written to a WARC file as it goes.

`crawl.warc.gz` sits beside the snapshot. Each fetch becomes a `response` record (status
line and headers as received, the body bytes as served — before any charset decoding)
followed by its `request` record; the file starts with a `warcinfo` record. Every record
is its own gzip member and is flushed when written, so a killed crawl leaves a file that
reads cleanly up to the last complete record, and a resumed crawl first cuts off a
half-written tail and then appends to the same file.

Two departures from the bytes on the wire, each said in a `WARC-Checker-Note` header:
- httpx undoes `Content-Encoding` (gzip, br) and chunking before we see the body, so the
  body archived is the decoded payload and those headers are renamed to
  `X-Archive-Orig-…` (as other archiving tools do) — a WARC reader would otherwise try to
  decompress it again;
- a probed binary (a link to a PDF whose existence is checked, not its content) was not
  read: its record holds the headers only and is marked `WARC-Truncated: unspecified`.

Writing is synchronous: one record costs a gzip of the body and one `write`, far less than
the request it records (see docs/evidence.md for the measured cost).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WARC_NAME = "crawl.warc.gz"
GZIP_LEVEL = 1  # warcio's own writer uses 9; 1 is ~3x faster than 9 for ~20 % more bytes
# Headers describing a transfer encoding httpx has already undone for us.
_DECODED_HEADERS = frozenset({"content-encoding", "transfer-encoding"})
NOTE_HEADER = "WARC-Checker-Note"
PAGE_ID_HEADER = "WARC-Checker-Kind"  # what the crawl fetched the URL as: page, robots, probe …


@dataclass(frozen=True, slots=True)
class ArchivedRef:
    """Where one response went: its WARC-Record-ID and the offset of its gzip member."""

    record_id: str
    offset: int


def warc_path_for(snapshot_path: Path) -> Path:
    """The WARC that belongs to a snapshot: `crawl.warc.gz` in the same folder."""
    return Path(snapshot_path).with_name(WARC_NAME)


def _latin1(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def readable_end(path: Path) -> int:
    """Byte offset just past the last complete record of `path` (0 for an empty file).

    A crawl killed mid-write leaves a truncated gzip member at the end; everything before
    it is intact because each record is a member of its own.
    """
    end = 0
    try:
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh, check_digests=False)
            for record in it:
                record.content_stream().read()
                end = it.get_record_offset() + it.get_record_length()
    except (ArchiveLoadFailed, EOFError, zlib.error, ValueError, OSError):
        pass
    return end


class WarcArchive:
    """Append-only WARC writer for one crawl. Not thread-safe; the crawl loop is one thread."""

    def __init__(self, path: Path, *, info: dict[str, object] | None = None):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        existing = self.path.exists() and self.path.stat().st_size > 0
        if existing:
            end = readable_end(self.path)
            if end != self.path.stat().st_size:  # a killed run's half record: cut it off
                with open(self.path, "r+b") as fh:
                    fh.truncate(end)
        self._fh = open(self.path, "ab")  # noqa: SIM115 - held open for the crawl, closed in close()
        self._buf = io.BytesIO()
        self._writer = WARCWriter(self._buf, gzip=False, warc_version="1.1")
        self.records = 0
        if info is not None:
            # A resumed crawl adds its own warcinfo: the settings of each run are on file.
            self._append(self._writer.create_warcinfo_record(self.path.name, info))

    # -- writing ----------------------------------------------------------------------------
    def _append(self, record) -> int:
        """Serialise `record`, gzip it as one member, append it; return its offset."""
        self._buf.seek(0)
        self._buf.truncate()
        self._writer.write_record(record)
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        data = compressor.compress(self._buf.getvalue()) + compressor.flush()
        offset = self._fh.tell()
        self._fh.write(data)
        self.records += 1
        return offset

    def write_exchange(
        self,
        *,
        url: str,
        date: str,
        status: int,
        reason: str = "",
        http_version: str = "HTTP/1.1",
        headers: Sequence[tuple[bytes | str, bytes | str]] = (),
        body: bytes = b"",
        body_read: bool = True,
        request_headers: Sequence[tuple[bytes | str, bytes | str]] = (),
        method: str = "GET",
        kind: str = "page",
    ) -> ArchivedRef:
        """Archive one response (and the request that got it); return the response's ref.

        `date` is the fetch time as the snapshot records it (ISO 8601 UTC) and becomes
        WARC-Date, so a record and the snapshot row it proves carry the same time.
        """
        notes = []
        http_headers = []
        for name, value in headers:
            name, value = _latin1(name), _latin1(value)
            if body_read and name.lower() in _DECODED_HEADERS:
                notes.append(f"{name} undone by the client; body archived decoded")
                name = f"X-Archive-Orig-{name}"
            http_headers.append((name, value))
        warc_headers = {"WARC-Date": date, PAGE_ID_HEADER: kind}
        if not body_read:
            warc_headers["WARC-Truncated"] = "unspecified"
            notes.append("headers only: the body was not read (link probe)")
        if notes:
            warc_headers[NOTE_HEADER] = "; ".join(notes)
        version = http_version if http_version.startswith("HTTP/") else "HTTP/1.1"
        status_line = f"{status} {reason}".strip() if reason else str(status)
        response = self._writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body),
            warc_headers_dict=warc_headers,
            http_headers=StatusAndHeaders(status_line, http_headers, protocol=version),
        )
        record_id = response.rec_headers.get_header("WARC-Record-ID")
        offset = self._append(response)

        target = url.split("#", 1)[0]
        path = target.split("://", 1)[-1]
        path = path[path.find("/"):] if "/" in path else "/"
        request = self._writer.create_warc_record(
            url, "request", warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id},
            http_headers=StatusAndHeaders(f"{method} {path} {version}",
                                          [(_latin1(n), _latin1(v)) for n, v in request_headers],
                                          is_http_request=True),
        )
        self._append(request)
        # One flush per exchange: a killed process loses at most the exchange in flight.
        self._fh.flush()
        return ArchivedRef(record_id, offset)

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.flush()
            self._fh.close()

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# -- reading ----------------------------------------------------------------------------------
@dataclass
class ArchivedResponse:
    record_id: str
    url: str
    date: str
    status: int | None
    status_line: str
    headers: list[tuple[str, str]]
    body: bytes
    truncated: bool
    note: str
    offset: int

    def header(self, name: str) -> str:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), "")


def _response(record, offset) -> ArchivedResponse:
    """`offset` is an int or a callable giving it: warcio knows a record's offset only once
    the record has been read to its end, so the body is read first."""
    body = record.content_stream().read()
    rec = record.rec_headers
    http = record.http_headers
    status_line = f"{http.protocol} {http.statusline}".strip() if http else ""
    try:
        status = int(http.get_statuscode()) if http else None
    except (TypeError, ValueError):
        status = None
    return ArchivedResponse(
        record_id=rec.get_header("WARC-Record-ID") or "", url=rec.get_header("WARC-Target-URI") or "",
        date=rec.get_header("WARC-Date") or "", status=status, status_line=status_line,
        headers=list(http.headers) if http else [], body=body,
        truncated=bool(rec.get_header("WARC-Truncated")), note=rec.get_header(NOTE_HEADER) or "",
        offset=offset() if callable(offset) else offset,
    )


def read_at(path: Path, offset: int) -> ArchivedResponse | None:
    """The response record whose gzip member starts at `offset`, or None."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh, check_digests=False):
            return _response(record, offset) if record.rec_type == "response" else None
    return None


def iter_responses(path: Path) -> Iterable[ArchivedResponse]:
    """Every complete response record of `path`, in file order; stops at a truncated tail."""
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh, check_digests=False)
        try:
            for record in it:
                if record.rec_type != "response":
                    continue
                yield _response(record, it.get_record_offset)
        except (ArchiveLoadFailed, EOFError, zlib.error, ValueError):
            return


def find_response(path: Path, record_id: str, offset: int | None = None) -> ArchivedResponse | None:
    """The response record `record_id`: read at `offset` when known, else by scanning."""
    if offset is not None:
        try:
            found = read_at(path, offset)
        except (ArchiveLoadFailed, EOFError, zlib.error, ValueError, OSError):
            found = None
        if found is not None and found.record_id == record_id:
            return found
    return next((r for r in iter_responses(path) if r.record_id == record_id), None)
