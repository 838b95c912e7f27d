"""Rule-file models: check files (`rules/checks/*.yaml`) and profiles (`rules/profiles/*.yaml`).

A check file holds `checks: [...]`, each a check of one kind (see `checker.engine.kinds`).
A profile is one task list: its items, each with the checks that verify it or `manual`
with the reason it cannot be judged from the public site.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .kinds import CheckDef


class CheckFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    checks: list[CheckDef]


class Item(BaseModel):
    """One row of a task list."""

    model_config = ConfigDict(extra="forbid")

    number: str = Field(min_length=1, description="Item number as printed (or assigned in reading order, as documented)")
    name: str = Field(min_length=1, description="任务名称")
    group: str = Field("", description="The category the list files the item under (e.g. 基础信息公开)")
    content: str = Field(min_length=1, description="具体内容, quoted verbatim from the list")
    lead_unit: str = Field("", description="牵头单位")
    units: str = Field("", description="责任单位")
    deadline_text: str = Field("", description="完成时限 as printed")
    deadline: date | None = Field(None, description="完成时限 parsed into a date, when it is one")
    weight: float = Field(1.0, ge=0, description="Weight in the profile score; 0 = informative only")
    veto: bool = Field(False, description="A failure makes the whole profile 不合格 (单项否决)")
    checks: list[str] = Field([], description="Ids of checks in rules/checks/ that verify the item")
    manual: str | None = Field(None, description="Why the item cannot be judged from the public site")
    manual_note: str | None = Field(None, description="For an automated item: the part that still needs a person")
    suggested: bool = Field(False, description="The checks (or the manual reason) were proposed by `checker rules "
                            "import` from the item's words and still await a person's review")
    triggers: dict[str, list[str]] = Field({}, description="For suggested checks: check id -> the words in the "
                                           "item that suggested it")

    @model_validator(mode="after")
    def _decided(self) -> Item:
        if not self.checks and not self.manual:
            raise ValueError("an item needs checks or a manual reason")
        if self.checks and self.manual:
            raise ValueError("an item is either checked or manual; use manual_note for the manual remainder")
        return self


class Grades(BaseModel):
    model_config = ConfigDict(extra="forbid")

    excellent: float = Field(90, description="优秀 at or above this score")
    good: float = Field(80, description="良好 at or above")
    passing: float = Field(60, description="合格 at or above; below is 不合格")


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    source: str = Field(description="File name of the task list (in shared/tasklists/) or the national documents")
    issuer: str = ""
    year: int | None = None
    description: str = ""
    numbering: str = Field("", description="How items are numbered, when the list does not number them itself")
    grades: Grades = Grades()
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_numbers(self) -> Profile:
        seen: set[str] = set()
        for item in self.items:
            if item.number in seen:
                raise ValueError(f"item number {item.number} appears twice")
            seen.add(item.number)
        return self
