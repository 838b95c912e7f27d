"""How well `checker rules import` reproduces the curated profiles from the .txt task lists.

    .venv/bin/python bench/import_accuracy.py [--tasklists DIR] [-v]

For each of the five lists in ../shared/tasklists/: items matched / total (an imported item
with the curated item's number), fields matched / total (name, group, content, lead_unit,
units, deadline_text, deadline; text compared with whitespace normalised), and — once
check suggestions exist — precision and recall of the suggested check ids against the
curated profile's checks.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.engine.loader import load_rules  # noqa: E402
from checker.importer.run import FIELDS, import_file  # noqa: E402

EXACT = False


def norm(value) -> str:
    if EXACT:
        return str(value if value is not None else "")
    return re.sub(r"\s+", " ", str(value if value is not None else "")).strip()


def compare(profile, imported) -> dict:
    """Figures for one list; `mismatches` lists (number, field, curated, imported)."""
    got = {i.row.number: i for i in imported.items}
    items = fields = 0
    mismatches = []
    tp = fp = fn = 0
    for item in profile.items:
        mine = got.get(item.number)
        if mine is None:
            mismatches.append((item.number, "item", "", "missing"))
            continue
        items += 1
        values = mine.fields()
        for f in FIELDS:
            if norm(getattr(item, f)) == norm(values[f]):
                fields += 1
            else:
                mismatches.append((item.number, f, norm(getattr(item, f)), norm(values[f])))
        want, have = set(item.checks), set(mine.decision.checks)
        tp += len(want & have)
        fp += len(have - want)
        fn += len(want - have)
    extra = sorted(set(got) - {i.number for i in profile.items})
    return {"items": items, "total": len(profile.items), "imported": len(imported.items), "extra": extra,
            "fields": fields, "fields_total": len(profile.items) * len(FIELDS), "mismatches": mismatches,
            "tp": tp, "fp": fp, "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else None, "recall": tp / (tp + fn) if tp + fn else None}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tasklists", type=Path, default=ROOT.parent / "shared" / "tasklists")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every mismatching field")
    ap.add_argument("--exact", action="store_true", help="compare text exactly, not whitespace-normalised")
    args = ap.parse_args(argv)
    global EXACT
    EXACT = args.exact
    rules = load_rules(ROOT / "rules")
    totals = [0, 0, 0, 0]
    tp = fp = fn = 0
    suggesting = False
    # The curated profiles name the task list they come from (`source`).
    lists = {p.id: p.source for p in rules.profiles.values()
             if p.source.endswith(".txt") and (args.tasklists / p.source).is_file()}
    for pid, name in lists.items():
        path = args.tasklists / name
        if not path.is_file():
            print(f"{pid}: {path} not found, skipped")
            continue
        imported = import_file(path, pid, checks=rules.checks)
        r = compare(rules.profiles[pid], imported)
        tp, fp, fn = tp + r["tp"], fp + r["fp"], fn + r["fn"]
        suggesting = imported.suggestions_available
        totals = [totals[0] + r["items"], totals[1] + r["total"], totals[2] + r["fields"], totals[3] + r["fields_total"]]
        line = (f"{pid:16} items {r['items']}/{r['total']} (imported {r['imported']})  "
                f"fields {r['fields']}/{r['fields_total']} ({100 * r['fields'] / r['fields_total']:.1f} %)")
        if imported.suggestions_available and r["precision"] is not None:
            line += f"  suggestions precision {r['precision']:.2f} recall {r['recall']:.2f}"
        print(line)
        if r["extra"]:
            print(f"    numbers not in the curated profile: {', '.join(r['extra'])}")
        if args.verbose:
            for number, f, want, have in r["mismatches"]:
                print(f"    {number} {f}:\n      curated : {want}\n      imported: {have}")
    if totals[1]:
        print(f"{'all':16} items {totals[0]}/{totals[1]}  fields {totals[2]}/{totals[3]} "
              f"({100 * totals[2] / totals[3]:.1f} %)"
              + (f"  suggestions precision {tp / (tp + fp):.2f} recall {tp / (tp + fn):.2f}"
                 if suggesting and tp + fp and tp + fn else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
