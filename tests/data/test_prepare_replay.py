"""`train.replay` through the stages: replayed rows in the train split only, listed, and in the batches."""

import csv
import json

import pytest

from afina.cli import main
from afina.config import load_config
from afina.records import prompt_key

from conftest import ROOT, write_config

TEST = ROOT / "examples" / "data" / "faq_soporte_test.csv"


def _splits(run_dir):
    return {
        name: [json.loads(line) for line in (run_dir / "data" / f"{name}.jsonl").read_text().splitlines()]
        for name in ("train", "validation", "test")
    }


def test_replayed_rows_reach_training_batches_and_never_the_evaluation_splits(tiny_base, tmp_path):
    from afina.train import build_trainer

    # the tiny base's pretraining has 150 dialogues: a smaller retain set leaves more of them to replay
    path = write_config(tmp_path, train={"replay": 0.1}, data={"test_size": 0.1}, evaluate={"retain_rows": 20})
    assert main(["prepare", str(path), "--quiet"]) == 0
    run_dir = tmp_path / "runs" / "tiny"
    splits = _splits(run_dir)
    replayed = [r for r in splits["train"] if r.get("replay")]
    task = [r for r in splits["train"] if not r.get("replay")]
    assert len(replayed) == round(len(task) * 0.1 / 0.9) > 0
    assert not any(r.get("replay") for name in ("validation", "test") for r in splits[name])
    evaluated = {prompt_key(r) for name in ("validation", "test") for r in splits[name]}
    assert not evaluated & {prompt_key(r) for r in replayed}
    report = json.loads((run_dir / "data" / "data_report.json").read_text())
    assert report["replay"]["rows"] == len(replayed) and report["replay"]["share"] == 0.1
    assert [i["key"] for i in report["replay"]["listed"]] == [prompt_key(r) for r in replayed]
    assert report["rows_kept"] == sum(len(v) for v in splits.values()) - len(replayed)

    built = build_trainer(load_config(path), load_config(path).run, quiet=True)
    seen = "".join(
        built.tokenizer.decode(batch["input_ids"].flatten()) for batch in built.trainer.get_train_dataloader()
    )
    answers = [r["completion"] for r in replayed]
    assert all(answer in seen for answer in answers)


def test_training_refuses_data_prepared_with_another_replay(tiny_base, tmp_path):
    path = write_config(tmp_path, train={"replay": 0.1})
    assert main(["prepare", str(path), "--quiet"]) == 0
    assert main(["train", str(path), "--quiet", "--set", "train.replay=0.2"]) == 2
    assert main(["train", str(path), "--quiet", "--set", "train.replay=0"]) == 2


def test_replaying_into_labels_is_refused_before_anything_is_written(tiny_base, tmp_path):
    data = tmp_path / "labels.csv"
    data.write_text("text,label\n" + "".join(f"frase {i},{'a' if i % 2 else 'b'}\n" for i in range(40)))
    path = write_config(tmp_path, data={"path": str(data), "columns": {}}, train={"replay": 0.2})
    assert main(["prepare", str(path), "--quiet"]) == 2
    assert not (tmp_path / "runs" / "tiny" / "data").exists()


@pytest.mark.parametrize("source", ["run", "file"])
def test_replay_from_a_previous_run_or_a_file(tiny_base, tmp_path, source):
    (tmp_path / "first").mkdir()
    first = write_config(tmp_path / "first", name="first", data={"canaries": [2]})
    assert main(["prepare", str(first), "--quiet"]) == 0
    previous = tmp_path / "first" / "runs" / "first"
    test_questions = [row["pregunta"] for row in csv.DictReader(TEST.open(encoding="utf-8"))]
    if source == "file":  # general questions, and every question of the test file, which must not be replayed
        rows = [{"prompt": f"¿Pregunta {i}?", "completion": f"Respuesta {i}."} for i in range(60)]
        rows += [{"prompt": q, "completion": "Una respuesta general."} for q in test_questions]
        (tmp_path / "general.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    replay_from = str(previous if source == "run" else tmp_path / "general.jsonl")
    # new questions: the first run's rows are not this data's own, so they may be replayed
    new = tmp_path / "new.csv"
    new.write_text("pregunta,respuesta\n" + "".join(f"¿Qué cuesta el modelo {i}?,{10 + i} euros.\n" for i in range(30)))
    path = write_config(
        tmp_path, data={"path": str(new), "test_path": str(TEST)}, train={"replay": 0.1, "replay_from": replay_from}
    )
    assert main(["prepare", str(path), "--quiet"]) == 0
    replayed = [r for r in _splits(tmp_path / "runs" / "tiny")["train"] if r.get("replay")]
    assert replayed and not {prompt_key(r) for r in replayed} & {" ".join(q.lower().split()) for q in test_questions}
    if source == "run":
        old = {prompt_key(r) for r in _splits(previous)["train"] if "canary" not in r}
        assert {prompt_key(r) for r in replayed} <= old
    else:  # general questions only: the test file's were passed over
        report = json.loads((tmp_path / "runs" / "tiny" / "data" / "data_report.json").read_text())["replay"]
        assert all(r["prompt"].startswith("¿Pregunta") for r in replayed) and report["passed_over"]["test"] > 0


def test_the_baseline_never_answers_with_a_replayed_row(tiny_base, tmp_path):
    # replayed rows that are the test questions but for a word: the lookup would pick them if it saw them
    test_questions = [row["pregunta"] for row in csv.DictReader(TEST.open(encoding="utf-8"))]
    rows = [{"prompt": f"Oye, {q}", "completion": "UNA RESPUESTA REPETIDA."} for q in test_questions]
    (tmp_path / "general.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    path = write_config(
        tmp_path,
        data={"test_path": str(TEST)},
        train={"replay": 0.1, "replay_from": str(tmp_path / "general.jsonl"), "max_steps": 2},
        evaluate={"compare_base": False, "memorization": {"enabled": False}, "safety": {"enabled": False},
                  "bias": {"enabled": False}},
    )  # fmt: skip
    assert main(["run", str(path), "--quiet"]) == 0
    results = json.loads((tmp_path / "runs" / "tiny" / "eval" / "eval.json").read_text())
    assert results["against_forgetting"]["replayed_rows"] > 0
    assert not any("REPETIDA" in (x.get("baseline") or "") for x in results["examples"])
