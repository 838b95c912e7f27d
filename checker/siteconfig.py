"""The per-site file, `sites/<id>.yaml`: where to start, what is in scope, how hard and
how politely to crawl, which profiles to judge, and the waivers people have written.

The file is written by people, so a mistake names the file, the line and the field
(`sites/yunxi.yaml:23: waivers[1].reason: Field required`), the way rule files do: it is
read with the rule loader's round-trip YAML reader and its pydantic errors are placed with
the same helpers (`checker.engine.loader`). Unknown keys are errors, so a typo such as
`max_page:` cannot silently leave the default in force.

Budget, politeness and render settings left out of the file are not written into the crawl
settings: `crawl_overrides()` returns only what the file sets, so the crawler's (or the
command line's) defaults stay in force for the rest. The format is documented in
`sites/README.md`; its JSON Schema is `rules/schema/site.schema.json`.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from ruamel.yaml.comments import CommentedMap

from checker.engine.loader import Problem, _line_of, _plain, _read, _validation_problems
from checker.results import Waiver

_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Budget(_Model):
    """How much of the site one scan may take; left out: the crawler's default."""

    max_pages: int | None = Field(None, ge=1, description="Most pages (and attachments) fetched")
    max_depth: int | None = Field(None, ge=0, description="Most links followed from the start URL")
    max_time: float | None = Field(None, gt=0, description="Seconds before the crawl stops (budget exhausted)")


class Politeness(_Model):
    """How the crawl treats the county's server; left out: the crawler's default."""

    concurrency: int | None = Field(None, ge=1, le=32, description="Concurrent requests per host")
    delay: float | None = Field(None, ge=0, description="Seconds between requests to one host")
    timeout: float | None = Field(None, gt=0, description="Seconds before a request is abandoned")
    obey_robots: bool | None = Field(
        None, description="false only for auditors with authority to scan the site regardless of robots.txt")


class Render(_Model):
    """Browser rendering hints (see docs/crawling.md); left out: the crawler's default."""

    mode: Literal["auto", "always", "never"] | None = Field(
        None, description="auto: render pages whose list is drawn by script; always; never: no browser")
    urls: list[str] = Field([], description="Glob patterns of URLs always rendered, e.g. '*/gkmlpt/*'")
    budget: int | None = Field(None, ge=0, description="Most pages rendered in one scan")


class SiteWaiver(_Model):
    """One waiver as written in the site file. `checker.results.Waiver` is what a result keeps."""

    profile: str | None = Field(None, description="Profile id the waiver is limited to; left out: every profile")
    item: Annotated[str | None, WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})] = Field(
        None, description="Item number, as printed in the profile (10, N10)")
    check: str | None = Field(None, description="Check id; with `item`, only that item's use of the check")
    status: Literal["not_applicable", "accepted"] = Field(
        description="not_applicable: the site does not have what the rule is about; "
                    "accepted: a person accepts the finding (counted as pass)")
    reason: str = Field(min_length=1, description="Why, in words a reviewer can check")
    author: str = Field(min_length=1, description="Who decided")
    expires: date = Field(description="Last day the waiver applies (YYYY-MM-DD); after it, it is listed as expired")

    @field_validator("item", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        # `item: 10` is read by YAML as an int; item numbers are text (10, N10, 3.2).
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

    @field_validator("reason", "author")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value

    @model_validator(mode="after")
    def _names_something(self) -> SiteWaiver:
        if not self.item and not self.check:
            raise ValueError("a waiver names an item, a check, or both")
        return self

    def to_result(self) -> Waiver:
        return Waiver(profile=self.profile, item=self.item, check=self.check, status=self.status,
                      reason=self.reason, author=self.author, expires=self.expires)


class SiteConfig(_Model):
    """A county portal as one file: `sites/<id>.yaml`."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Stable site id: the history key of its scans")
    name: str = Field("", description="The portal's name, e.g. 云溪县人民政府")
    start_url: str = Field(description="The homepage the crawl starts from (http or https)")
    extra_hosts: list[str] = Field(
        [], description="Other hosts in scope, e.g. the county's 信息公开 platform (host or host:port)")
    profiles: list[str] = Field([], description="Profile ids judged by default")
    budget: Budget = Budget()
    politeness: Politeness = Politeness()
    render: Render = Render()
    waivers: list[SiteWaiver] = []

    @field_validator("start_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL with a host")
        return value.strip()

    @field_validator("extra_hosts")
    @classmethod
    def _hosts(cls, value: list[str]) -> list[str]:
        hosts = [h.strip().lower() for h in value]
        for host in hosts:
            if not _HOST.match(host):
                raise ValueError(f"{host!r} is not a host name (write xxgk.example.gov.cn, no scheme or path)")
        return hosts

    @field_validator("profiles")
    @classmethod
    def _profile_ids(cls, value: list[str]) -> list[str]:
        for profile_id in value:
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", profile_id):
                raise ValueError(f"{profile_id!r} is not a profile id")
        if len(set(value)) != len(value):
            raise ValueError("a profile is listed twice")
        return value

    def crawl_overrides(self) -> dict[str, Any]:
        """`CrawlSettings` fields this file sets, by field name: start_url and extra_hosts always,
        the rest only when the file gives them (`CrawlSettings(**{**defaults, **overrides})`)."""
        overrides: dict[str, Any] = {"start_url": self.start_url, "extra_hosts": list(self.extra_hosts)}
        mapped = {
            "max_pages": self.budget.max_pages,
            "max_depth": self.budget.max_depth,
            "max_seconds": self.budget.max_time,
            "concurrency": self.politeness.concurrency,
            "delay": self.politeness.delay,
            "timeout": self.politeness.timeout,
            "obey_robots": self.politeness.obey_robots,
            "render": self.render.mode,
            "render_budget": self.render.budget,
        }
        overrides.update({k: v for k, v in mapped.items() if v is not None})
        if self.render.urls:
            overrides["render_urls"] = list(self.render.urls)
        return overrides

    def result_waivers(self) -> list[Waiver]:
        """The waivers in file order, as a result records them (`apply_waivers` input)."""
        return [w.to_result() for w in self.waivers]


class SiteConfigError(ValueError):
    """A site file that cannot be used; `problems` say file, line and field of each mistake."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_site(path: Path | str) -> SiteConfig:
    """Read and validate a site file; raises SiteConfigError naming file, line and field."""
    path = Path(path)
    name = path.as_posix()
    problems: list[Problem] = []
    data = _read(path, name, problems)
    if problems:
        raise SiteConfigError(problems)
    if not isinstance(data, CommentedMap):
        raise SiteConfigError([Problem(name, _line_of(data) or 1, "", "a site file is a mapping (id, start_url …)")])
    try:
        return SiteConfig.model_validate(_plain(data))
    except ValidationError as exc:
        raise SiteConfigError(_validation_problems(exc, data, name)) from None
