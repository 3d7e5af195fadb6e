"""Users' feedback on served answers (the registry's feedback rows) turned into training records that
`afina prepare` takes as they are: corrections become chat records (SFT); a choice between two answers,
a correction against the answer it corrects, and an up-rated against a down-rated answer to the same
prompt become preference pairs.

Preference records hold a plain-text prompt, so only single-message prompts become pairs; the others are
counted, never dropped silently.
"""

from __future__ import annotations

import dataclasses
import json


@dataclasses.dataclass
class Exported:
    sft: list[dict]
    preferences: list[dict]
    counts: dict[str, int]  # pairs per source, and what could not become a pair


def _plain_prompt(messages: list[dict]) -> str | None:
    if len(messages) == 1 and messages[0]["role"] == "user":
        return messages[0]["content"]
    return None


def feedback_records(rows) -> Exported:
    """Records from feedback rows (objects with the registry's FeedbackRow fields), oldest first."""
    sft, pairs, seen = [], [], set()
    counts = {"corrections": 0, "from_choices": 0, "from_corrections": 0, "from_ratings": 0, "not_single_message": 0}
    ratings: dict[str, dict[int, list[str]]] = {}

    def pair(messages, chosen, rejected, source):
        if chosen.strip() == rejected.strip():
            return
        prompt = _plain_prompt(messages)
        if prompt is None:
            counts["not_single_message"] += 1
            return
        key = (prompt, chosen, rejected)
        if key not in seen:
            seen.add(key)
            pairs.append({"prompt": prompt, "chosen": chosen, "rejected": rejected})
            counts[source] += 1

    for row in rows:
        if row.kind == "correction":
            sft.append({"messages": [*row.prompt, {"role": "assistant", "content": row.correction}]})
            counts["corrections"] += 1
            pair(row.prompt, row.correction, row.answer, "from_corrections")
        elif row.kind == "preference":
            pair(row.prompt, row.answer, row.rejected_answer, "from_choices")
        elif row.kind == "rating":
            ratings.setdefault(json.dumps(row.prompt, ensure_ascii=False), {1: [], -1: []})[row.rating].append(
                row.answer
            )
    for prompt, by_rating in ratings.items():
        for good in dict.fromkeys(by_rating[1]):
            for bad in dict.fromkeys(by_rating[-1]):
                pair(json.loads(prompt), good, bad, "from_ratings")
    return Exported(sft, pairs, counts)
