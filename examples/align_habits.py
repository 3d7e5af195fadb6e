"""What the alignment demo's models said: each sampled answer to the held-out prompts (eval.json
`alignment.samples`) sorted into the shop's answer, a curt one, one leaking an internal detail, another
fact's answer, or anything else (garbled, cut short, half right), for the supervised model and each policy.
The reward model's win rate is read against it: a policy can only win where the supervised model sampled
a habit it has dropped.

    python examples/align_habits.py runs/align runs/align-ppo runs/align-rloo
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from make_faq import BRUSH_OFFS, INTERNAL, faq_rows  # noqa: E402

KINDS = ("shop", "curt", "leak", "wrong", "other")


def kind(answer: str, shop: str, answers: set[str]) -> str:
    """Which of KINDS an answer to a question whose shop answer is `shop` is (`answers`: every FAQ answer)."""
    if answer == shop:
        return "shop"
    if any(detail in answer for detail in INTERNAL):
        return "leak"
    if answer in BRUSH_OFFS or re.fullmatch(r"\d[\d:]*(?: (?:euros|años|días|horas))?\.", answer):
        return "curt"
    return "wrong" if answer in answers else "other"


def shares(answers: list[tuple[str, str]], known: set[str]) -> dict[str, float]:
    """The share of each kind among (answer, shop answer) pairs (`known`: every FAQ answer)."""
    kinds = [kind(answer, shop, known) for answer, shop in answers]
    return {k: kinds.count(k) / len(kinds) for k in KINDS}


def table(runs: list[str]) -> list[str]:
    """Markdown rows: the supervised model (the first run's base) and each run's policy."""
    train, test = faq_rows()
    shop_of, known = dict(test), {a for _, a in train + test}
    rows, lines = [], ["| model | win rate | " + " | ".join(KINDS) + " |", "|---|---:|" + "---:|" * len(KINDS)]
    for i, run in enumerate(runs):
        alignment = json.loads((Path(run) / "eval" / "eval.json").read_text()).get("alignment") or {}
        samples = alignment.get("samples")
        if not samples:
            raise SystemExit(f"{run}: no sampled answers in eval/eval.json (an aligned run: `afina evaluate` it again)")
        if i == 0:
            rows.append(
                (
                    "supervised (the policies' start)",
                    "",
                    [(a, shop_of[s["prompt"]]) for s in samples for a in s["base"]],
                )
            )
        rows.append(
            (
                Path(run).name,
                f"{alignment['win_rate']['value']:.3f}",
                [(a, shop_of[s["prompt"]]) for s in samples for a in s["tuned"]],
            )
        )
    for name, win, answers in rows:
        lines.append(f"| {name} | {win} | " + " | ".join(f"{v:.2f}" for v in shares(answers, known).values()) + " |")
    return lines


if __name__ == "__main__":
    print("\n".join(table(sys.argv[1:])))
