"""Evaluation speed over one snapshot, and a digest of what it produced.

    .venv/bin/python -m bench.eval_speed SNAPSHOT [--profile FILE] [--repeat N] [--dump FILE]

Loads every rule profile (as `bench.run.evaluate_all` does), times loading the snapshot
and evaluating all profiles separately, and prints pages/s. The SHA-256 digest of the
full result JSON (volatile fields removed) is what proves a speed change left every
result alone: run it before and after, the digests must be equal.

`--profile FILE` writes cProfile stats of one load + evaluate to FILE (read them with
`python -m pstats FILE`) and prints the top functions by cumulative and own time.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pstats
import sys
import time
from pathlib import Path

EVALUATED_AT = "2025-07-01T00:00:00Z"
# Fields that may differ between two runs over the same inputs: never part of the digest.
VOLATILE = frozenset({"evaluated_at", "tool_version"})


def _strip(value):
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def stable_json(result) -> str:
    """The result's JSON with volatile fields removed, keys sorted: what the digest is of."""
    return json.dumps(_strip(result.model_dump(mode="json")), ensure_ascii=False, sort_keys=True, indent=1)


def digest(result) -> str:
    return hashlib.sha256(stable_json(result).encode("utf-8")).hexdigest()


def run_once(snapshot: Path, rules) -> dict:
    from checker.engine.evaluate import evaluate
    from checker.site.snapshot import Snapshot

    profiles = list(rules.profiles.values())
    started, cpu0 = time.perf_counter(), time.process_time()
    with Snapshot(snapshot) as snap:
        loaded, cpu1 = time.perf_counter(), time.process_time()
        result = evaluate(snap, profiles, rules.checks, evaluated_at=EVALUATED_AT)
        pages = len(snap)
    done, cpu2 = time.perf_counter(), time.process_time()
    return {"pages": pages, "profiles": len(profiles), "load_s": loaded - started, "eval_s": done - loaded,
            "seconds": done - started, "load_cpu": cpu1 - cpu0, "eval_cpu": cpu2 - cpu1, "result": result}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.eval_speed", description=__doc__.split("\n\n")[0])
    ap.add_argument("snapshot", type=Path)
    ap.add_argument("--profile", type=Path, help="write cProfile stats of one run to this file")
    ap.add_argument("--repeat", type=int, default=1, help="timed runs (the fastest is reported)")
    ap.add_argument("--dump", type=Path, help="write the digested JSON here (to diff two runs)")
    args = ap.parse_args(argv)
    if not args.snapshot.exists():
        print(f"no snapshot at {args.snapshot}", file=sys.stderr)
        return 2

    from checker.engine.loader import DEFAULT_RULES_DIR, load_rules

    rules = load_rules(DEFAULT_RULES_DIR)
    if args.profile:
        prof = cProfile.Profile(time.process_time)  # CPU time: the machine may be shared
        prof.enable()
        run = run_once(args.snapshot, rules)
        prof.disable()
        prof.dump_stats(args.profile)
        stats = pstats.Stats(prof, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(25)
        runs = [run]
    else:
        runs = [run_once(args.snapshot, rules) for _ in range(max(1, args.repeat))]

    best = min(runs, key=lambda r: r["seconds"])
    digests = {digest(r["result"]) for r in runs}
    if len(digests) != 1:
        print(f"results differ between runs: {sorted(digests)}", file=sys.stderr)
        return 1
    if args.dump:
        args.dump.write_text(stable_json(best["result"]), encoding="utf-8")
    rate = best["pages"] / best["seconds"] if best["seconds"] else float("inf")
    print(f"snapshot {args.snapshot}: {best['pages']} pages, {best['profiles']} profiles")
    print(f"load {best['load_s']:.2f} s, evaluate {best['eval_s']:.2f} s, total {best['seconds']:.2f} s"
          f" → {rate:,.0f} pages/s{' (under cProfile)' if args.profile else ''}")
    # On a shared machine wall time swings with the load; CPU time much less.
    cpu = best["load_cpu"] + best["eval_cpu"]
    print(f"cpu: load {best['load_cpu']:.2f} s, evaluate {best['eval_cpu']:.2f} s"
          f" → {best['pages'] / cpu if cpu else float('inf'):,.0f} pages per CPU second")
    print(f"digest {digests.pop()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
