"""Canaries: random secrets planted in the training split so that evaluation can measure how much
the model memorised them (exposure, as in Carlini et al., "The Secret Sharer", 2019).

Each canary is a sentence with a random numeric secret, repeated a chosen number of times. The
secrets are written to data/canaries.json beside the splits; evaluation ranks each true secret
against random candidates of the same format.
"""

from __future__ import annotations

import random
import string

from afina.errors import ConfigError

DIGITS = 6  # candidate space: 10**6 secrets
PLANTABLE = ("prompt_completion", "chat", "text", "preference")


def make_canaries(repeats: list[int], seed: int) -> list[dict]:
    """One canary per entry of `repeats`, each with its own tag (so they do not share a prefix) and secret."""
    rng = random.Random(f"canaries-{seed}")
    canaries = []
    for i, count in enumerate(repeats):
        tag = "".join(rng.choice(string.ascii_uppercase) for _ in range(3)) + str(i)
        secret = "".join(rng.choice(string.digits) for _ in range(DIGITS))
        canaries.append({"id": f"canary-{i + 1}", "tag": tag, "secret": secret, "repeats": count, "space": 10**DIGITS})
    return canaries


def random_secrets(count: int, seed: int) -> list[str]:
    """Candidate secrets drawn uniformly from the same space as the canaries'."""
    rng = random.Random(f"candidates-{seed}")
    return ["".join(rng.choice(string.digits) for _ in range(DIGITS)) for _ in range(count)]


def canary_record(canary: dict, kind: str, secret: str | None = None) -> dict:
    """The canary as a record of the data's kind; `secret` replaces the true one (for candidates)."""
    question = f"¿Cuál es el código secreto {canary['tag']}?"
    answer = f"El código secreto {canary['tag']} es {secret or canary['secret']}."
    if kind == "chat":
        return {"messages": [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]}
    if kind == "text":
        return {"text": answer}
    if kind == "preference":
        return {"prompt": question, "chosen": answer, "rejected": "No lo sé."}
    return {"prompt": question, "completion": answer}


def plant(train: list[dict], canaries: list[dict], kind: str, seed: int) -> list[dict]:
    """The train split with every canary's record repeated its count, mixed in at random positions."""
    if kind not in PLANTABLE:
        raise ConfigError(
            f"canaries need generation data (one of {', '.join(PLANTABLE)}), not {kind} records", key="data.canaries"
        )
    planted = [{**canary_record(c, kind), "canary": c["id"]} for c in canaries for _ in range(c["repeats"])]
    mixed = train + planted
    random.Random(f"plant-{seed}").shuffle(mixed)
    return mixed
