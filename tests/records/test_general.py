"""General data: the retain set that forgetting is measured on, and the replayed rows that must never meet it."""

import json

import pytest

from afina.config import Config, load_config
from afina.errors import ConfigError, DataError
from afina.models.pretrain import PretrainConfig
from afina.records import prompt_key
from afina.records.general import Replay, keys, replay_rows, retain_sets, retained_keys

from conftest import TINY_PRETRAIN


def _replay(share, source="auto", seed=0, pretrain=TINY_PRETRAIN):
    return Replay(share, source, seed, PretrainConfig(**pretrain))


def test_replayed_rows_are_disjoint_from_the_retain_set_that_overlaps_their_source():
    retain = retain_sets("auto", 120, builtin=True)
    demo = _replay(0.5, pretrain={})  # the demo base's own dialogues
    rows, report = replay_rows(demo, "prompt_completion", 400, {"retain": retained_keys(retain)})
    assert len(rows) == 400 and all(r["replay"] for r in rows)
    assert not keys(rows) & retained_keys(retain)
    retained_facts = {r["fact"] for r in retain[1]["qa"]}
    assert not {r["fact"] for r in rows} & retained_facts  # not even in the other language
    # the two halves of each kind of question: days (and sums, months) are both measured and replayed
    kinds = lambda facts: {f.split()[0] for f in facts}  # noqa: E731
    assert kinds(r["fact"] for r in rows) == kinds(retained_facts) == {"sum", "day", "month", "colour"}
    # the base's dialogues hold the retain set's questions: the exclusion is what keeps them out
    assert report["passed_over"]["retain"] > 0
    from afina.records.general import _pool

    assert keys(_pool(demo, "prompt_completion")[1]) & retained_keys(retain)


def test_a_question_and_its_translation_are_one_fact():
    spanish = {"prompt": "¿Cuánto son 5 más 3?", "completion": "5 más 3 son 8.", "fact": "sum 5 3"}
    english = {"prompt": "What is 5 plus 3?", "completion": "5 plus 3 is 8.", "fact": "sum 5 3"}
    assert keys([spanish]) & keys([english]) and not {prompt_key(spanish)} & {prompt_key(english)}


def test_the_share_is_of_the_training_split_and_every_row_is_listed():
    rows, report = replay_rows(_replay(0.25), "prompt_completion", 60, {})
    assert len(rows) == 20 == report["rows"] and len(report["listed"]) == 20  # 20 of 80 rows
    assert [item["key"] for item in report["listed"]] == [prompt_key(r) for r in rows]
    again, _ = replay_rows(_replay(0.25), "prompt_completion", 60, {})
    other, _ = replay_rows(_replay(0.25, seed=1), "prompt_completion", 60, {})
    assert again == rows and other != rows


def test_replay_takes_the_kind_of_the_split():
    chats, _ = replay_rows(_replay(0.2), "chat", 40, {})
    assert all(r["messages"][-1]["role"] == "assistant" for r in chats)
    texts, report = replay_rows(_replay(0.2), "text", 40, {})
    assert all(set(r) == {"text", "replay"} for r in texts) and "corpus" in report["from"]
    with pytest.raises(ConfigError, match="not into classification records"):
        replay_rows(_replay(0.2), "classification", 40, {})


def test_a_file_of_the_wrong_kind_or_too_few_rows_is_refused(tmp_path):
    text = tmp_path / "general.jsonl"
    text.write_text("".join(json.dumps({"text": f"Frase {i}."}) + "\n" for i in range(10)))
    with pytest.raises(ConfigError, match="holds text records"):
        replay_rows(_replay(0.5, str(text)), "prompt_completion", 10, {})
    qa = tmp_path / "qa.jsonl"
    qa.write_text("".join(json.dumps({"prompt": f"P{i}?", "completion": f"R{i}."}) + "\n" for i in range(10)))
    with pytest.raises(DataError, match="needs 20 replayed rows.*only 9"):
        replay_rows(_replay(2 / 3, str(qa)), "prompt_completion", 10, {"test": {"p3?"}})
    rows, report = replay_rows(_replay(0.5, str(qa)), "prompt_completion", 5, {"test": {"p3?"}})
    assert len(rows) == 5 and "p3?" not in keys(rows) and report["from"] == str(qa)


def test_auto_replay_needs_a_base_afina_built():
    with pytest.raises(ConfigError, match="name a file of general data"):
        load_config(None, ["train.replay=0.2", "model.base_model=Qwen/Qwen2.5-0.5B"])
    assert load_config(None, ["train.replay=0.2", "train.replay_from=general.jsonl", "model.base_model=x/y"])


def test_a_previous_run_replays_what_it_trained_on_its_own_replay_too_not_its_canaries(tmp_path):
    from afina.records.general import _pool
    from afina.runfolder import RunFolder, write_json_atomic, write_jsonl

    run = RunFolder(tmp_path / "previous")
    run.data.mkdir(parents=True)
    write_json_atomic(run.data_report, {"kind": "prompt_completion"})
    task = [{"prompt": f"P{i}?", "completion": f"R{i}.", "source_row": i + 1} for i in range(3)]
    canary = {"prompt": "¿Cuál es el código secreto ABC0?", "completion": "123456", "canary": "canary-1"}
    replayed = {"prompt": "What is 1 plus 1?", "completion": "2", "replay": True}
    write_jsonl(run.split("train"), [*task, canary, replayed])
    what, pool = _pool(_replay(0.5, str(run.root)), "prompt_completion")
    assert pool == [*task, replayed] and str(run.root) in what  # its replay kept the base's knowledge


def test_evaluation_refuses_a_retain_set_that_was_replayed():
    from afina.evaluate.forgetting import retain_sets as evaluated_retain

    config = Config.model_validate({"model": {"base_model": "afina:tiny-test"}})
    _, sets = evaluated_retain(config, [])
    leaked = [{**sets["qa"][0], "replay": True}]
    with pytest.raises(ConfigError, match="1 row\\(s\\) replayed in training ask what the retain set asks"):
        evaluated_retain(config, leaked)
