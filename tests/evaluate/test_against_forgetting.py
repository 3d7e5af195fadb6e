"""What a run did against forgetting reaches eval.json and the report, beside the runs it is compared with."""

import json

import pytest

from afina.cli import main

from conftest import write_config


def test_the_report_shows_a_replayed_run_beside_the_naive_one_with_each_verdict(tiny_base, tmp_path):
    (tmp_path / "naive").mkdir()
    naive = write_config(tmp_path / "naive", name="naive", gate={"max_forgetting": -10.0})  # cannot pass
    assert main(["run", str(naive), "--quiet"]) == 3
    remedied = write_config(
        tmp_path,
        name="remedied",
        train={"replay": 0.1, "l2_sp": 1.0},
        evaluate={"retain_rows": 20, "compare_runs": [str(tmp_path / "naive" / "runs" / "naive")]},
        gate={"max_forgetting": 10.0},
    )
    assert main(["run", str(remedied), "--quiet"]) == 0

    run = tmp_path / "runs" / "remedied"
    results = json.loads((run / "eval" / "eval.json").read_text())
    replayed = sum(1 for line in (run / "data" / "train.jsonl").read_text().splitlines() if '"replay": true' in line)
    against = results["against_forgetting"]
    assert against["replayed_rows"] == replayed > 0 and against["l2_sp"] == 1.0
    assert against["replay"] == pytest.approx(0.1, abs=0.005)  # the share reached, canaries aside
    [other] = results["compared_runs"]
    assert other["gate"] is False and other["against_forgetting"]["replayed_rows"] == 0
    html = (run / "eval" / "report.html").read_text()
    assert f"{replayed} (10% of train)" in html
    side = html[html.index("Compared runs") :]
    assert "<td>remedied</td>" in side and "<td>naive</td>" in side and "passed" in side and "FAILED" in side
