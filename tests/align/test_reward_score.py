"""`afina reward score`: a trained reward model's score of each answer in a file, as JSONL, the same number
the evaluation's pairwise accuracy compares; refused clearly without a reward model or with the wrong records."""

from __future__ import annotations

import json

from afina.cli import main

from conftest import ROOT, write_config

PAIRS = ROOT / "examples" / "data" / "preferencias.jsonl"


def test_reward_score_writes_each_answer_with_its_reward(tiny_base, tmp_path, capsys):
    pairs = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()[:80]]
    data = tmp_path / "pairs.jsonl"
    data.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs), encoding="utf-8")
    path = write_config(
        tmp_path,
        data={"path": str(data), "columns": {}},
        train={"objective": "reward", "max_steps": 16, "learning_rate": 2e-2, "max_length": 192},
    )
    assert main(["prepare", str(path), "--quiet"]) == 0 and main(["train", str(path), "--quiet"]) == 0
    answers = tmp_path / "answers.jsonl"
    rows = [{"prompt": p["prompt"], "completion": p[side]} for p in pairs[:6] for side in ("chosen", "rejected")]
    answers.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "scored.jsonl"
    assert main(["reward", "score", str(path), "--input", str(answers), "--out", str(out), "--quiet"]) == 0
    scored = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(s["prompt"], s["completion"]) for s in scored] == [(r["prompt"], r["completion"]) for r in rows]
    assert all(isinstance(s["reward"], float) for s in scored) and len({s["reward"] for s in scored}) > 1
    assert not (tmp_path / "scored.jsonl.tmp").exists()

    # printed when no --out is given: the same numbers
    capsys.readouterr()
    assert main(["reward", "score", str(path), "--input", str(answers), "--quiet"]) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [p["reward"] for p in printed] == [s["reward"] for s in scored]

    # preference records are not answers to score
    assert main(["reward", "score", str(path), "--input", str(data), "--quiet"]) == 2
    assert "reward score takes prompt/completion or chat records" in capsys.readouterr().err


def test_reward_score_without_a_reward_model_is_refused(tmp_path, capsys):
    path = write_config(tmp_path)
    answers = tmp_path / "answers.jsonl"
    answers.write_text(json.dumps({"prompt": "a", "completion": "b"}) + "\n")
    assert main(["reward", "score", str(path), "--input", str(answers), "--quiet"]) == 2
    assert "has no reward model and align.reward_model is not set" in capsys.readouterr().err
