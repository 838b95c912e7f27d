"""How well the importer's check suggestions match the curated profiles.

For each curated task list (rules/profiles/), every item's own text (name + content) goes
through `checker.importer.suggest.suggest`; the suggested check ids are compared with the
item's curated `checks`. Precision = suggested ids that the curators chose / all suggested;
recall = curated ids suggested / all curated. Manual items count too: a suggestion there is
a false positive; `manual` agreement is reported separately.

    .venv/bin/python -m bench.suggest_accuracy [--misses]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ruamel.yaml import YAML

from checker.engine.loader import DEFAULT_RULES_DIR, load_rules
from checker.importer.model import TaskRow
from checker.importer.suggest import manual_reason, suggest

PROFILES = ("pingcheng-2024", "qinyuan-2022", "yongji-2021", "pingli", "mudan-2023")


def measure(profile: str, checks, *, show: bool = False) -> dict[str, int]:
    data = YAML(typ="safe").load((Path(DEFAULT_RULES_DIR) / "profiles" / f"{profile}.yaml").read_text(encoding="utf-8"))
    counts = dict(suggested=0, right=0, curated=0, manual=0, manual_right=0, manual_curated=0)
    for item in data["items"]:
        row = TaskRow(number=str(item["number"]), name=item["name"], content=item["content"])
        got = {s.check_id for s in suggest(row, checks)}
        want = set(item.get("checks") or ())
        counts["suggested"] += len(got)
        counts["right"] += len(got & want)
        counts["curated"] += len(want)
        reason = manual_reason(row, checks)
        counts["manual"] += reason is not None
        counts["manual_curated"] += not want
        counts["manual_right"] += reason is not None and not want
        if show and (got - want or want - got):
            print(f"  {profile} {item['number']} {item['name']}: extra {sorted(got - want)} missing {sorted(want - got)}")
    return counts


def line(label: str, c: dict[str, int]) -> str:
    precision = c["right"] / c["suggested"] if c["suggested"] else 0.0
    recall = c["right"] / c["curated"] if c["curated"] else 0.0
    return (
        f"{label:16} precision {precision:.2f} ({c['right']}/{c['suggested']})  recall {recall:.2f} ({c['right']}/{c['curated']})"
        f"  manual {c['manual_right']}/{c['manual']} right, {c['manual_right']}/{c['manual_curated']} of curated manual items"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list each item's extra and missing check ids")
    args = parser.parse_args()
    checks = load_rules(DEFAULT_RULES_DIR).checks
    total: dict[str, int] = {}
    for profile in PROFILES:
        counts = measure(profile, checks, show=args.misses)
        print(line(profile, counts))
        for key, value in counts.items():
            total[key] = total.get(key, 0) + value
    print(line("overall", total))


if __name__ == "__main__":
    main()
