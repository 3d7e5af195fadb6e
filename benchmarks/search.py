"""What pruning buys `afina search` on the demo: 6 unpruned trials against 12 pruned ones, side by side in
one run, each a study of its own over the same space (examples/quickstart-search.yaml's), trial 0 of
both the quickstart's own values. Prints wall time, trials pruned, and the best validation loss against
the quickstart's.

    python benchmarks/search.py                    # the demo base; about half an hour on 2 cores
    python benchmarks/search.py --smoke --work DIR --out table.md   # a tiny base, 2 and 4 trials of a few steps
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, TINY, print_table  # noqa: E402


def study(work: Path, name: str, trials: int, pruner: str, smoke: bool) -> dict:
    """One `afina search` of examples/quickstart-search.yaml; what its search.json says, and its time."""
    from afina.cli import main

    raw = yaml.safe_load((ROOT / "examples" / "quickstart-search.yaml").read_text())
    raw["name"], raw["output_dir"] = name, str(work / "runs")
    raw["registry"] = {"url": f"sqlite:///{work / 'registry.db'}"}
    raw["data"] |= {"path": str(ROOT / raw["data"]["path"]), "test_path": str(ROOT / raw["data"]["test_path"])}
    raw["search"] |= {"trials": trials, "pruner": pruner}
    if smoke:
        raw |= TINY
        raw["train"] |= {"max_steps": 12, "eval_steps": 3}
    path = work / f"{name}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    started = time.perf_counter()
    code = main(["search", str(path), "--quiet"])
    seconds = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"afina search {path} exited {code}")
    found = json.loads((work / "runs" / name / "search" / "search.json").read_text())
    return found | {"wall": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny base, 2 and 4 trials of 12 steps")
    parser.add_argument("--work", help="the folder for the studies' runs (default: a temporary one)")
    parser.add_argument("--out", help="also write the table here")
    args = parser.parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="afina-search-"))
    work.mkdir(parents=True, exist_ok=True)
    unpruned, pruned = (2, 4) if args.smoke else (6, 12)
    try:
        rows = []
        for name, trials, pruner in (("unpruned", unpruned, "none"), ("pruned", pruned, "median")):
            found = study(work, name, trials, pruner, args.smoke)
            states = [t["state"] for t in found["trials"]]
            baseline = next(t for t in found["trials"] if t["baseline"])
            rows.append((name, trials, found["wall"], states.count("pruned"), baseline["value"], found["best"]))
        unpruned_wall = rows[0][2]
        lines = [
            "| study | trials | wall (s) | × the unpruned study | pruned | quickstart's values (trial 0) | best "
            "validation loss | best parameters |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, trials, wall, pruned, baseline, best in rows:
            params = ", ".join(f"{k.split('.')[-1]} {v:.3g}" if isinstance(v, float) else f"{k.split('.')[-1]} {v}"
                               for k, v in best["params"].items())  # fmt: skip
            lines.append(f"| {name} | {trials} | {wall:.0f} | {wall / unpruned_wall:.2f} | {pruned} | "
                         f"{baseline:.4f} | {best['value']:.4f} | {params} |")  # fmt: skip
        print_table(lines, args.out)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
