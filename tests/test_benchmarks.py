"""The benchmarks are not timed tests; CI only runs them in smoke mode so they keep working."""

import json
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def _smoke(script: str, tmp_path, out: str) -> None:
    """Run a benchmark's smoke mode, its table written to tmp_path/out; fail with its stderr."""
    command = [sys.executable, str(ROOT / "benchmarks" / script), "--smoke", "--work", str(tmp_path)]
    proc = subprocess.run([*command, "--out", str(tmp_path / out)], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_methods_benchmark_smoke(tiny_base, tmp_path):
    _smoke("methods.py", tmp_path, "table.md")
    table = (tmp_path / "table.md").read_text().splitlines()
    assert table[0].startswith("| model | method | trainable |") and len(table) == 4
    assert "| lora |" in table[2] and "| full |" in table[3] and "100.00%" in table[3]


def test_train_speed_benchmark_smoke(tiny_base, tmp_path):
    _smoke("train_speed.py", tmp_path, "speed.md")
    table = (tmp_path / "speed.md").read_text()
    assert "Matmul peak" in table and "| baseline |" in table and "| afina |" in table
    # what each switch pays: one row per switch, turned back against afina's step on the same batches, and
    # the baseline's own step (TRL's trainer, taking its turn on the same examples), then afina's evaluation at
    # its evaluation batch size against the training batch size
    rows = [line.split(" | ") for line in table.splitlines() if line.startswith("| tiny | ")]
    # a switch of the whole process (the allocator's): whole runs with it turned back, in a table of its own
    process = [row for row in rows if row[1] == "reuse_freed_memory=false"]
    rows = [row for row in rows if row not in process]
    assert len(process) == 1 and int(process[0][2]) == 1 and float(process[0][5].rstrip("×")) > 0
    afina_loss, turned_back_loss = (float(x) for x in process[0][-1].rstrip(" |").split(" / "))
    assert afina_loss == turned_back_loss  # where memory comes from changes no result
    assert [row[1] for row in rows[:-1]] == [
        "padding_free=false",
        "answer_logits=false",
        "answer_last_layer=false",
        "frozen_bf16=false",
        "fused_lora=false",
        "fused_attention=false",
        "plain_attention=false",
        "fused_norm=false",
        "activation_checkpointing=true",
        "bf16=false",
        "all: plain TRL + peft",
    ]
    assert rows[-1][1].startswith("eval_batch_size=") and rows[-1][1].endswith("(evaluation, not a step)")
    for row in rows:
        afina_loss, turned_back_loss = (float(x) for x in row[-1].rstrip(" |").split(" / "))
        assert int(row[2]) >= 1 and float(row[5].rstrip("×")) > 0
        assert turned_back_loss == pytest.approx(afina_loss, rel=0.01)  # the same batches, an equivalent step


def test_generate_speed_benchmark_smoke(tiny_base, tmp_path):
    _smoke("generate_speed.py", tmp_path, "generate.md")
    rows = [line for line in (tmp_path / "generate.md").read_text().splitlines() if line.startswith("| ")][1:]
    assert [r.split(" | ")[0] for r in rows] == ["| plain generate loop"] + ["| afina generate_ids"] * 4 + [
        "| afina generate_ids, static KV cache",
        "| continuous batching (generate_batch)",
    ]
    # fp32 greedy in batches gives the loop's answers on the tiny model
    assert all(r.rstrip(" |").endswith("6/6") for r in rows if "| fp32 |" in r)


def test_reliability_benchmark_smoke(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "reliability.py"), "--smoke", "--work", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    table = proc.stdout
    assert "| SIGKILL at a random moment" in table and "of 2**" in table
    assert "| processes writing one fresh registry at once: failures | 2 × 6 records | 0 | **0** |" in table
    assert "| crafted safety answers classified correctly | 24 | all | **24 of 24** |" in table


def test_forgetting_benchmark_smoke(tmp_path):
    _smoke("forgetting.py", tmp_path, "forgetting.md")
    table = (tmp_path / "forgetting.md").read_text().splitlines()
    assert table[0].startswith("| method | replay | l2_sp |")
    plain, replayed = (line.split(" | ") for line in table[2:4])
    assert plain[1] == "0%" and replayed[1] == "10%" and int(replayed[4]) > int(plain[4])  # more train rows
    replay = json.loads((tmp_path / "runs" / "lora-r10" / "data" / "data_report.json").read_text())["replay"]
    assert replay["rows"] == int(replayed[4]) - int(plain[4])


def test_align_speed_benchmark_smoke(tiny_base, tmp_path):
    _smoke("align_speed.py", tmp_path, "align.md")
    rows = [line.split(" | ") for line in (tmp_path / "align.md").read_text().splitlines()[2:]]
    assert [row[0].strip("| ") for row in rows] == ["ppo", "rloo", "dpo"]
    assert rows[2][4] == "1.0×" and all(float(row[2]) > 0 and float(row[3]) >= float(row[2]) for row in rows)
    assert rows[2][5] == "–" and all(float(row[5].replace(",", "")) > 0 for row in rows[:2])  # what they sampled


def test_serve_benchmark_smoke(tiny_base, tmp_path):
    _smoke("serve.py", tmp_path, "serve.md")
    table = (tmp_path / "serve.md").read_text().splitlines()
    rows = [line.split(" | ") for line in table if line.startswith("| afina") or line.startswith("| transformers")]
    assert [(r[0], r[1]) for r in rows] == [
        (f"| {name}", c) for name in ("afina, 1 adapter", "afina, 4 adapters", "transformers") for c in ("1", "4")
    ]
    assert all(float(r[2]) > 0 and r[7] == "0" for r in rows)  # tokens generated, no errors
    assert table[-1].startswith("4 adapters / 1 adapter")


def test_search_benchmark_smoke(tmp_path):
    _smoke("search.py", tmp_path, "search.md")
    table = (tmp_path / "search.md").read_text().splitlines()
    rows = [line.split(" | ") for line in table[2:]]
    assert [r[0] for r in rows] == ["| unpruned", "| pruned"] and [r[1] for r in rows] == ["2", "4"]
    assert rows[0][3] == "1.00" and all(float(r[6]) <= float(r[5]) for r in rows)  # never worse than trial 0


def test_scale_benchmark_smoke(tiny_base, tmp_path):
    """A tiny Qwen2 saved in bf16 (as hub checkpoints are) through the same runs as the 0.5B and 1.5B."""
    _smoke("scale.py", tmp_path, "scale.md")
    rows = [
        line.split(" | ") for line in (tmp_path / "scale.md").read_text().splitlines() if line.startswith("| smoke")
    ]
    assert [(r[1], r[2]) for r in rows] == [
        ("lora", "baseline"),
        ("lora", "afina"),
        ("lora", "afina, activation checkpointing"),
        ("qlora", "baseline"),
        ("qlora", "afina"),
        ("qlora", "afina, no activation checkpointing"),
    ]
    assert "smoke: QLoRA's peak RSS" in (tmp_path / "scale.md").read_text()
    for r in rows:
        assert float(r[3].removesuffix(" MB").replace(",", "")) > 0 and float(r[5].replace(",", "")) > 0
        assert r[2] != "baseline" or r[6] == "1.00×"
    # the same model trained by both sides: their validation losses agree
    losses = [float(r[8].rstrip(" |")) for r in rows]
    assert max(losses) - min(losses) < 0.05


def test_pii_benchmark_scores_every_type_on_each_corpus(tmp_path):
    command = [sys.executable, str(ROOT / "benchmarks" / "pii.py"), "--messages", "300"]
    proc = subprocess.run([*command, "--out", str(tmp_path / "pii.md")], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = (tmp_path / "pii.md").read_text()
    # templates; the first held-out corpus's halves; the second and third, whole and their halves; the fourth
    assert text.count("| email |") == 10 and text.count("| name |") == 10
    rows = [line.split(" | ") for line in text.splitlines() if line.startswith("| ") and "planted" not in line]
    assert all(0.0 <= float(cell) <= 1.0 for row in rows for cell in row[2:4])


def test_near_duplicates_benchmark_finds_every_planted_paraphrase(tmp_path):
    command = [sys.executable, str(ROOT / "benchmarks" / "near_duplicates.py"), "--sizes", "300", "--shares", "0.33"]
    command += ["--repeats", "1", "--out", str(tmp_path / "near.md")]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    row = (tmp_path / "near.md").read_text().splitlines()[-1].strip("| ").split(" | ")
    assert row[:2] == ["300", "33%"] and float(row[2]) > 0 and row[4] == "30 of 30"
