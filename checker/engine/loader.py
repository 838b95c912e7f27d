"""Loading rule files, with errors that say file, line and field.

Rule files are YAML written by people: a mistake must point at the line to fix
(`rules/checks/footer.yaml:12: checks[3].target.names: Input should be a valid list`),
not dump a pydantic traceback. Files are read with ruamel.yaml's round-trip loader so
every mapping and sequence knows its line; a pydantic error's `loc` is walked through
those nodes to find it.

Layout: `<rules>/checks/*.yaml` hold `checks: [...]`; `<rules>/profiles/*.yaml` hold one
profile each. A bad check is reported and skipped; the rest of its file still loads.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

import checker
from checker.results import ScanResult

from .kinds import KINDS, CheckDef
from .patterns import PATTERNS
from .rules import CheckFile, Profile

DEFAULT_RULES_DIR = Path(checker.__file__).resolve().parent.parent / "rules"

_CHECK = TypeAdapter(CheckDef)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # 1-based
    field: str  # dotted path into the file: checks[3].target.names
    message: str
    level: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where]
        if self.field:
            parts.append(self.field)
        parts.append(f"warning: {self.message}" if self.level == "warning" else self.message)
        return ": ".join(parts)


@dataclass
class Rules:
    checks: dict[str, CheckDef]
    profiles: dict[str, Profile]
    problems: list[Problem] = field(default_factory=list)
    # Where each valid check is defined (file, line): problems found later point there.
    check_sites: dict[str, tuple[str, int | None]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]


@dataclass
class _Where:
    file: str
    line: int | None


@dataclass
class _Loaded:
    """What one directory held, with where each definition sits (for cross-file problems)."""

    checks: dict[str, CheckDef] = field(default_factory=dict)
    check_sites: dict[str, list[_Where]] = field(default_factory=dict)
    check_nodes: dict[str, tuple[str, CommentedMap, str]] = field(default_factory=dict)  # file, node, path
    profiles: dict[str, Profile] = field(default_factory=dict)
    profile_sites: dict[str, list[_Where]] = field(default_factory=dict)
    profile_nodes: dict[str, tuple[str, CommentedMap]] = field(default_factory=dict)


# -- reading YAML ---------------------------------------------------------------------------------
def _yaml_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")], key=lambda p: p.name)


def _display(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _read(path: Path, name: str, problems: list[Problem]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, None, "", f"cannot read file: {exc}"))
        return None
    try:
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(x) for x in (exc.context, exc.problem) if x) or str(exc)
        problems.append(Problem(name, mark.line + 1 if mark else None, "", f"YAML syntax error: {message}"))
        return None
    except YAMLError as exc:
        problems.append(Problem(name, None, "", f"YAML syntax error: {exc}"))
        return None
    except ValueError as exc:  # ruamel builds dates while parsing: 2027-02-30 raises here
        problems.append(Problem(name, _bad_date_line(text), "", f"invalid date: {exc}"))
        return None
    if data is None:
        problems.append(Problem(name, 1, "", "file is empty"))
    return data


def _bad_date_line(text: str) -> int | None:
    """The line of the first YYYY-MM-DD that is not a calendar date (ruamel's error has no mark)."""
    for number, line in enumerate(text.splitlines(), 1):
        for m in re.finditer(r"(?<![\w.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w.-])", line):
            try:
                dt.date(*map(int, m.groups()))
            except ValueError:
                return number
    return None


def _plain(node: Any) -> Any:
    """ruamel's round-trip types (ScalarFloat, LiteralScalarString …) as plain Python values."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or type(node).__name__ == "ScalarBoolean":
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, dt.datetime):
        return node
    if isinstance(node, dt.date):
        return dt.date(node.year, node.month, node.day)
    return node


def _line_of(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else None


def locate_loc(root: Any, loc: tuple[Any, ...], prefix: str = "") -> tuple[int | None, str]:
    """(line, dotted field path) of a pydantic error location inside a ruamel tree.

    Discriminated-union locations carry the kind tag (('exists', 'target', 'names')): an
    element that is not a key but equals the node's `kind` is skipped. A location that
    runs past what the file holds (a missing field) stops at the deepest node that exists.
    """
    node, line, path = root, _line_of(root), prefix
    for elem in loc:
        if isinstance(node, CommentedMap):
            if elem in node:
                key_line = node.lc.key(elem)[0] + 1
                line = key_line
                path = f"{path}.{elem}" if path else str(elem)
                node = node[elem]
                continue
            if elem == node.get("kind"):
                continue  # the discriminator tag pydantic puts in the loc
            path = f"{path}.{elem}" if path else str(elem)
            node = None
            continue
        if isinstance(node, CommentedSeq) and isinstance(elem, int) and 0 <= elem < len(node):
            line = node.lc.item(elem)[0] + 1
            path = f"{path}[{elem}]"
            node = node[elem]
            continue
        # Past the YAML we have: keep naming the path, the line stays where it was.
        if isinstance(elem, int):
            path = f"{path}[{elem}]"
        elif not (isinstance(elem, str) and elem in KINDS):
            path = f"{path}.{elem}" if path else str(elem)
        node = None
    return line, path


def _message(err: dict[str, Any]) -> str:
    kinds = ", ".join(KINDS)
    if err["type"] == "union_tag_invalid":
        return f"unknown kind {err.get('ctx', {}).get('tag')!r}; known kinds: {kinds}"
    if err["type"] == "union_tag_not_found":
        return f"missing kind; known kinds: {kinds}"
    message = err["msg"]
    return message.removeprefix("Value error, ")


def _validation_problems(
    exc: ValidationError, node: Any, name: str, prefix_loc: tuple[Any, ...] = (), prefix: str = ""
) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = (*loc, "kind")  # point at the kind line (or the check, when kind is absent)
        line, path = locate_loc(node, loc, prefix)
        problems.append(Problem(name, line, path, _message(err)))
    return problems


# -- checks ---------------------------------------------------------------------------------------------
def _load_check_dir(directory: Path, base: Path, problems: list[Problem], into: _Loaded) -> None:
    for path in _yaml_files(directory):
        name = _display(path, base)
        data = _read(path, name, problems)
        if data is None:
            continue
        if not isinstance(data, CommentedMap):
            problems.append(Problem(name, _line_of(data) or 1, "", "a check file is a mapping with a `checks:` list"))
            continue
        for key in data:
            if key != "checks":
                problems.append(Problem(name, data.lc.key(key)[0] + 1, str(key), "Extra inputs are not permitted"))
        entries = data.get("checks")
        if not isinstance(entries, CommentedSeq):
            line = data.lc.key("checks")[0] + 1 if "checks" in data else 1
            problems.append(Problem(name, line, "checks", "Input should be a valid list"))
            continue
        for i, entry in enumerate(entries):
            try:
                check = _CHECK.validate_python(_plain(entry))
            except ValidationError as exc:
                problems.extend(_validation_problems(exc, entry, name, prefix=f"checks[{i}]"))
                if isinstance(entry, CommentedMap):
                    first = entries.lc.item(i)[0] + 1
                    into.check_sites.setdefault(str(entry.get("id")), []).append(_Where(name, first))
                continue
            into.check_sites.setdefault(check.id, []).append(_Where(name, entries.lc.item(i)[0] + 1))
            if check.id not in into.checks:
                into.checks[check.id] = check
                into.check_nodes[check.id] = (name, entry, f"checks[{i}]")


def load_checks(directory: Path, *, base: Path | None = None, problems: list[Problem] | None = None) -> dict[str, CheckDef]:
    """Every valid check in `directory/*.yaml`, by id. Problems go to `problems` when given."""
    directory = Path(directory)
    loaded = _Loaded()
    _load_check_dir(directory, base or directory.parent.parent, problems if problems is not None else [], loaded)
    return loaded.checks


# -- profiles --------------------------------------------------------------------------------------------
_DUP_NUMBER = re.compile(r"item number (.+) appears twice")


def _load_profile_dir(directory: Path, base: Path, problems: list[Problem], into: _Loaded) -> None:
    for path in _yaml_files(directory):
        name = _display(path, base)
        data = _read(path, name, problems)
        if data is None:
            continue
        if not isinstance(data, CommentedMap):
            problems.append(Problem(name, _line_of(data) or 1, "", "a profile file is a mapping (id, title, items …)"))
            continue
        try:
            profile = Profile.model_validate(_plain(data))
        except ValidationError as exc:
            for problem in _validation_problems(exc, data, name):
                problems.append(_dup_number_line(problem, data))
            continue
        into.profile_sites.setdefault(profile.id, []).append(_Where(name, _line_of(data)))
        if profile.id not in into.profiles:
            into.profiles[profile.id] = profile
            into.profile_nodes[profile.id] = (name, data)


def _dup_number_line(problem: Problem, data: CommentedMap) -> Problem:
    """The whole-profile 'item number X appears twice' error, moved to the second such item."""
    m = _DUP_NUMBER.search(problem.message)
    items = data.get("items")
    if not m or not isinstance(items, CommentedSeq):
        return problem
    seen = 0
    for i, item in enumerate(items):
        if isinstance(item, CommentedMap) and str(item.get("number")) == m.group(1):
            seen += 1
            if seen == 2:
                return Problem(problem.file, item.lc.key("number")[0] + 1, f"items[{i}].number", problem.message)
    return problem


def load_profiles(
    directory: Path, *, base: Path | None = None, problems: list[Problem] | None = None
) -> dict[str, Profile]:
    """Every valid profile in `directory/*.yaml`, by id. Problems go to `problems` when given."""
    directory = Path(directory)
    loaded = _Loaded()
    _load_profile_dir(directory, base or directory.parent.parent, problems if problems is not None else [], loaded)
    return loaded.profiles


# -- the whole rules directory ----------------------------------------------------------------------------
def load_rules(rules_dir: Path = DEFAULT_RULES_DIR) -> Rules:
    """Checks and profiles with every problem found in them and between them."""
    rules_dir = Path(rules_dir)
    base = rules_dir.parent
    problems: list[Problem] = []
    loaded = _Loaded()
    if not (rules_dir / "checks").is_dir():
        problems.append(Problem(_display(rules_dir / "checks", base), None, "", "directory not found"))
    if not (rules_dir / "profiles").is_dir():
        problems.append(Problem(_display(rules_dir / "profiles", base), None, "", "directory not found"))
    _load_check_dir(rules_dir / "checks", base, problems, loaded)
    _load_profile_dir(rules_dir / "profiles", base, problems, loaded)
    problems += _cross_problems(loaded)
    sites = {check_id: (loaded.check_sites[check_id][0].file, loaded.check_sites[check_id][0].line)
             for check_id in loaded.checks}
    return Rules(loaded.checks, loaded.profiles, problems, sites)


def _cross_problems(loaded: _Loaded) -> list[Problem]:
    problems: list[Problem] = []
    for check_id, sites in loaded.check_sites.items():
        if len(sites) > 1:
            all_sites = ", ".join(f"{s.file}:{s.line}" for s in sites)
            for s in sites:
                problems.append(Problem(s.file, s.line, "id", f"check id {check_id!r} is defined more than once: {all_sites}"))
    for profile_id, sites in loaded.profile_sites.items():
        if len(sites) > 1:
            all_sites = ", ".join(f"{s.file}:{s.line}" for s in sites)
            for s in sites:
                problems.append(Problem(s.file, s.line, "id", f"profile id {profile_id!r} is defined more than once: {all_sites}"))

    for check_id, check in loaded.checks.items():
        name, node, prefix = loaded.check_nodes[check_id]
        for j, pattern in enumerate(getattr(check, "patterns", ())):
            if pattern not in PATTERNS:
                line, path = locate_loc(node, ("patterns", j), prefix)
                problems.append(Problem(name, line, path,
                                        f"unknown pattern {pattern!r}; known patterns: {', '.join(PATTERNS)}"))

    aliases: dict[str, str] = {}
    for check_id, check in loaded.checks.items():
        site = loaded.check_sites[check_id][0]
        for alias in check.aliases:
            if alias in loaded.checks:
                problems.append(Problem(site.file, site.line, "aliases",
                                        f"alias {alias!r} is the id of another check"))
            aliases.setdefault(alias, check_id)

    used: set[str] = set()
    for profile_id, profile in loaded.profiles.items():
        name, node = loaded.profile_nodes[profile_id]
        for i, item in enumerate(profile.items):
            for j, check_id in enumerate(item.checks):
                line, path = locate_loc(node, ("items", i, "checks", j))
                if check_id in loaded.checks:
                    used.add(check_id)
                    if loaded.checks[check_id].status == "deprecated":
                        problems.append(Problem(name, line, path, f"check {check_id!r} is deprecated", "warning"))
                elif check_id in aliases:
                    used.add(aliases[check_id])
                    problems.append(Problem(name, line, path,
                                            f"{check_id!r} is a former id of check {aliases[check_id]!r}", "warning"))
                elif check_id in loaded.check_sites:
                    pass  # defined but invalid: already reported where it is defined
                else:
                    problems.append(Problem(name, line, path, f"unknown check id {check_id!r}"))
    for check_id in loaded.checks:
        if check_id not in used:
            site = loaded.check_sites[check_id][0]
            problems.append(Problem(site.file, site.line, "id", f"check {check_id!r} is not used by any profile",
                                    "warning"))
    return problems


def lint(rules_dir: Path = DEFAULT_RULES_DIR, *, kinds: dict[str, ModuleType] | None = None) -> list[Problem]:
    """Everything wrong with the rules and the kinds that run them; errors first, then warnings.

    When the rules folder has a `cases/` folder, every check needs a pass and a fail case
    there (`checker.engine.cases`), and every case file must be valid and name a known check.
    """
    from .cases import case_problems  # cases imports this module: imported here, not at the top

    rules_dir = Path(rules_dir)
    rules = load_rules(rules_dir)
    problems = list(rules.problems)
    if (rules_dir / "cases").is_dir():
        problems += case_problems(rules_dir / "cases", rules.checks, rules.check_sites, base=rules_dir.parent)
    for name, module in (kinds if kinds is not None else KINDS).items():
        where = f"checker/engine/kinds/{name}.py"
        doc = (module.__doc__ or "").strip()
        if not doc:
            problems.append(Problem(where, None, "", "kind module has no docstring (it is the kind's documentation)"))
        elif "Example" not in doc:
            problems.append(Problem(where, None, "", "kind docstring has no Example section", "warning"))
    order = {"error": 0, "warning": 1}
    return sorted(problems, key=lambda p: (order[p.level], p.file, p.line or 0, p.field, p.message))


# -- JSON Schemas ----------------------------------------------------------------------------------------
def export_schemas(out_dir: Path) -> list[Path]:
    """Write the JSON Schemas of check files, profiles, site files and results; returns the paths written."""
    from checker.siteconfig import SiteConfig  # siteconfig reads files with this module's helpers

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    schemas = {
        "check-file.schema.json": CheckFile.model_json_schema(),
        "profile.schema.json": Profile.model_json_schema(),
        "result.schema.json": ScanResult.model_json_schema(by_alias=True),
        "site.schema.json": SiteConfig.model_json_schema(),
    }
    written = []
    for name, schema in schemas.items():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
        path = out_dir / name
        path.write_text(json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
