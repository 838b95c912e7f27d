"""An imported task list as profile YAML (`rules/profiles/<id>.yaml`), ready to lint and run.

Items keep the list's wording verbatim. Every item is decided, as the profile model
requires: the suggested checks (`suggested: true`, with the words that triggered each in
`triggers`), or `manual` with a reason, also `suggested: true` — a person reviews both.
"""

from __future__ import annotations

import io
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from checker.engine.rules import Profile

from .run import Imported


class OutputExists(FileExistsError):
    pass


def profile_data(imported: Imported, profile_id: str) -> CommentedMap:
    data = CommentedMap()
    data["id"] = profile_id
    data["title"] = imported.title or profile_id
    data["source"] = imported.source
    data["issuer"] = ""
    data["year"] = imported.year
    r = imported.report
    data["description"] = (f"由 checker rules import 从 {imported.source} 导入的草稿：共 {r.items} 项，"
                           f"{r.with_suggestions} 项有建议的检查，{r.left_for_a_person} 项待人工判断。"
                           "标注 suggested: true 的检查和人工原因都是按条目用词自动建议的，需人工复核后删去该标注。")
    data["numbering"] = imported.numbering
    items = CommentedSeq()
    for it in imported.items:
        row, d = it.row, it.decision
        item = CommentedMap()
        item["number"] = SingleQuotedScalarString(row.number)
        item["name"] = row.name
        if row.group:
            item["group"] = row.group
        item["content"] = row.content
        item["lead_unit"] = row.lead_unit
        item["units"] = row.units
        item["deadline_text"] = row.deadline_text
        item["deadline"] = it.deadline
        if d.checks:
            seq = CommentedSeq(d.checks)
            seq.fa.set_flow_style()
            item["checks"] = seq
            triggers = CommentedMap()
            for check in d.checks:
                words = CommentedSeq(d.triggers.get(check, []))
                words.fa.set_flow_style()
                triggers[check] = words
            item["triggers"] = triggers
        else:
            item["manual"] = d.manual or "需人工判断能否从门户网站核验。"
        item["suggested"] = True
        items.append(item)
    data["items"] = items
    return data


def render(imported: Imported, profile_id: str) -> str:
    """The profile as YAML text; validated against the profile model before it is returned."""
    data = profile_data(imported, profile_id)
    Profile.model_validate(_plain(data))
    yaml = YAML(typ="rt")
    yaml.width = 4096  # keep quoted text on one line: easier to compare with the list
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    out.write(f"# {imported.title or profile_id} → 检查规则（由 checker rules import 生成的草稿）。\n"
              f"# content 逐字引自 {imported.source}；suggested: true 的条目待人工复核。\n")
    yaml.dump(data, out)
    return out.getvalue()


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def write_profile(imported: Imported, profile_id: str, out: Path, *, force: bool = False) -> Path:
    """Write the profile to `out`; an existing file is replaced only with `force`."""
    out = Path(out)
    if out.exists() and not force:
        raise OutputExists(f"{out} already exists; use --force to replace it")
    text = render(imported, profile_id)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    return out
