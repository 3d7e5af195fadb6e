"""General data, in the two roles that must never meet: the retain set on which the evaluate stage measures
forgetting, and the rows that `train.replay` mixes into a training split to prevent it (rehearsal).

Both come from here so that one place keeps them apart: a row whose prompt (its text, for plain text) is in
the retain set, or in the validation or test split, is never replayed, and the data report counts how many
were passed over for it. For an `afina:` base, both are drawn from the distribution it was pretrained on
(afina.models.corpus), and kept apart by the fact a question asks about, not only by its words: the facts of
each kind of question are cut in two halves once and for all, the retain set asks only those of one half
and replay only those of the other (a sum the retain set asks in Spanish is never replayed, in any
language), so that replay rehearses the base's skills and never the answers forgetting is measured on. For
any other base, both come from files the user names.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

from afina.errors import ConfigError, DataError
from afina.models.corpus import generate_corpus, generate_dialogues
from afina.models.pretrain import PretrainConfig, pretraining_dialogues, read_corpus
from afina.records import prompt_key, read_records
from afina.runfolder import RunFolder

RETAIN_SEED = 7_919  # not a seed the demo base is pretrained with, so the paragraphs are fresh combinations
# The record kinds that can be replayed into a split of each kind: an answer-trained split takes
# question/answer rows (as prompt/completion or chat), a plain-text split takes plain text.
REPLAYABLE = {
    "prompt_completion": ("prompt_completion", "chat"),
    "chat": ("prompt_completion", "chat"),
    "text": ("text",),
}


def retain_sets(retain: str | None, rows: int, builtin: bool) -> tuple[str, dict[str, list[dict]]] | None:
    """The retain set of `evaluate.retain`: (description, {"text": records, "qa": records}), None where none
    applies (`retain` null, or auto for a base afina did not build)."""
    if retain is None or (retain == "auto" and not builtin):
        return None
    if retain == "auto":
        text = [{"text": t} for t in generate_corpus(rows * 3, RETAIN_SEED)[:rows]]
        asked = [(q, a, f) for q, a, f in generate_dialogues(rows * 4, RETAIN_SEED, True) if retained_fact(f)]
        qa = [{"prompt": q, "completion": a, "fact": f} for q, a, f in asked[:rows]]
        return "afina's general corpus and general-knowledge questions (the base's pretraining distribution)", {
            "text": text,
            "qa": qa,
        }
    schema, records = read_records(retain)
    part = "text" if schema.kind == "text" else "qa"
    return retain, {part: records[:rows]}


def retained_fact(fact: str) -> bool:
    """Whether a generated fact is in the retain set's half of its kind's facts (a fixed hash, so the halves
    are the same for every seed and release)."""
    return hashlib.sha256(fact.encode()).digest()[0] % 2 == 0


def _keys(record: dict) -> tuple[str, ...]:
    """What makes two records the same: the prompt (the text, for plain text), folded, and the fact it asks
    about where afina generated it."""
    return (prompt_key(record), f"fact: {record['fact']}") if "fact" in record else (prompt_key(record),)


def keys(records: list[dict]) -> set[str]:
    """Every key of `records` (`_keys`): two sets of records are disjoint when their keys are."""
    return {key for r in records for key in _keys(r)}


def retained_keys(retain: tuple[str, dict[str, list[dict]]] | None) -> set[str]:
    return set().union(*(keys(part) for part in retain[1].values())) if retain else set()


@dataclass
class Replay:
    """Where replayed rows come from, and what they are."""

    share: float  # the fraction of the training split that is replayed rows
    source: str  # "auto", a data file, or a run folder
    seed: int  # the run's: which candidates are taken
    pretrain: PretrainConfig  # auto: the afina: base's recipe, whose corpus and dialogues are replayed


def _as_kind(record: dict, kind: str) -> dict:
    """A replayable record as a record of the training split's kind."""
    if kind == "chat" and "prompt" in record:
        return {
            "messages": [
                {"role": "user", "content": record["prompt"]},
                {"role": "assistant", "content": record["completion"]},
            ],
            **({"fact": record["fact"]} if "fact" in record else {}),
        }
    return {k: v for k, v in record.items() if k not in ("source_row", "canary", "replay")}


def _pool(replay: Replay, kind: str) -> tuple[str, list[dict]]:
    """(description, the candidate records)."""
    if replay.source == "auto":  # exactly what the base was pretrained on, as afina.models.pretrain made it
        corpus = read_corpus(replay.pretrain, replay.pretrain.seed)
        if kind == "text":
            return "the afina: base's pretraining corpus", [{"text": t, "source_row": i} for i, t in enumerate(corpus)]
        return "the afina: base's general-knowledge dialogues", [
            {"prompt": q, "completion": a, "fact": f, "source_row": i}
            for i, (q, a, f) in enumerate(pretraining_dialogues(replay.pretrain, corpus, facts=True))
        ]
    path = Path(replay.source)
    if path.is_dir():  # a run folder: what it trained on, its own replay included (what it kept), not its canaries
        run = RunFolder(path)
        kind_there = run.read_data_report()["kind"]
        records = [r for r in run.read_split("train") if "canary" not in r]
        what = f"the training data of {path}"
    else:
        if not path.is_file():
            raise ConfigError(f"{path} does not exist", key="train.replay_from")
        schema, records = read_records(str(path))
        kind_there, what = schema.kind, str(path)
    if kind_there not in REPLAYABLE[kind]:
        raise ConfigError(
            f"{what} holds {kind_there} records; a split of {kind} records replays "
            f"{' or '.join(REPLAYABLE[kind])} records",
            key="train.replay_from",
        )
    return what, records


def replay_rows(replay: Replay, kind: str, task_rows: int, exclude: dict[str, set[str]]) -> tuple[list[dict], dict]:
    """The rows to mix into a training split of `task_rows` rows of `kind` so that `replay.share` of it is
    replayed, each marked `replay: true`; and what the data report says of them. `exclude` maps a reason
    ("retain", "train", "validation", "test") to the keys (`keys`) no replayed row may have. The rows are a seeded
    random sample of the source's: its repeats are kept, as the base saw them in pretraining."""
    if kind not in REPLAYABLE:
        raise ConfigError(
            f"replay mixes general text or questions into generation data ({', '.join(REPLAYABLE)}), "
            f"not into {kind} records",
            key="train.replay",
        )
    needed = round(task_rows * replay.share / (1 - replay.share))
    what, pool = _pool(replay, kind)
    passed_over = {"retain": 0} | {reason: 0 for reason in exclude}
    taken = []
    order = list(range(len(pool)))
    random.Random(f"replay-{replay.seed}").shuffle(order)
    for i in order:
        if len(taken) == needed:
            break
        mine = _keys(pool[i])
        if "fact" in pool[i] and retained_fact(pool[i]["fact"]):
            reason = "retain"  # the retain set's half, whatever of it evaluate.retain_rows asks
        else:
            reason = next((r for r, excluded in exclude.items() if any(k in excluded for k in mine)), None)
        if reason is not None:
            passed_over[reason] += 1
        else:
            taken.append(i)
    if len(taken) < needed:
        raise DataError(
            f"train.replay {replay.share} needs {needed} replayed rows beside {task_rows} training rows, and "
            f"{what} has only {len(taken)} outside the retain set and the questions this data asks itself: lower "
            "train.replay or give more rows",
            file=replay.source if replay.source != "auto" else None,
        )
    taken.sort()
    rows = [{**_as_kind(pool[i], kind), "replay": True} for i in taken]
    report = {
        "share": replay.share,
        "source": replay.source,
        "from": what,
        "rows": len(rows),
        "passed_over": passed_over,  # candidates the exclusions kept out, by reason
        "listed": [{"source_row": pool[i].get("source_row", i), "key": prompt_key(pool[i])[:120]} for i in taken],
    }
    return rows, report
