"""Text + label data on an encoder: class weights for imbalance, and accuracy, macro-F1 and the
confusion matrix in eval.json and the report."""

import json
import sys
from pathlib import Path

import pytest
import yaml

from afina.cli import main
from afina.objectives.classification import class_weights

from conftest import tiny_config

sys.path.insert(0, str(Path(__file__).parents[1] / "methods"))
from tiny_families import build_tiny, write_reviews  # noqa: E402


def test_class_weights_are_inverse_frequency():
    # 6 of class 0 and 2 of class 1: weights 8/(2·6) and 8/(2·2)
    weights = class_weights([0, 0, 0, 0, 0, 0, 1, 1], 2)
    assert weights.tolist() == pytest.approx([2 / 3, 2.0])


@pytest.mark.slow
def test_classification_run_reports_accuracy_f1_and_confusion(tiny_base, tmp_path):
    base = build_tiny("bert", tiny_base, tmp_path / "base")
    config = tiny_config(
        tmp_path,
        model={"base_model": str(base)},
        data={"path": str(write_reviews(tmp_path / "r.csv", rows=120)), "columns": {}, "labels": ["neg", "pos"]},
        method={"name": "full"},
        train={"max_steps": 40, "eval_steps": 20, "learning_rate": 3e-3},
    )
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(config))
    assert main(["run", str(tmp_path / "c.yaml"), "--quiet"]) == 0

    run_dir = tmp_path / "runs" / "tiny"
    results = json.loads((run_dir / "eval" / "eval.json").read_text())
    tuned = results["models"]["tuned"]
    assert results["objective"] == "classification"
    assert set(tuned) >= {"accuracy", "macro_f1", "confusion_matrix", "loss"}
    matrix = tuned["confusion_matrix"]["matrix"]
    assert tuned["confusion_matrix"]["labels"] == ["neg", "pos"]
    assert sum(map(sum, matrix)) == results["test_rows"]
    assert tuned["accuracy"] == pytest.approx((matrix[0][0] + matrix[1][1]) / results["test_rows"])
    assert tuned["accuracy"] > results["models"]["base"]["accuracy"] or tuned["accuracy"] == 1.0
    assert "Confusion matrix, tuned" in (run_dir / "eval" / "report.html").read_text()
    # TF-IDF + logistic regression on the same split: the reviews' words give the label away
    assert results["baseline"]["what"] == "TF-IDF + logistic regression"
    assert results["models"]["baseline"]["accuracy"] >= 0.9 and "macro_f1" in results["baseline_comparison"]
