import numpy as np
import pytest

from afina.evaluate.metrics import (
    corpus_bleu,
    corpus_chrf,
    exact_match,
    normalize,
    per_example_scores,
    rouge_l,
    token_f1,
)
from afina.evaluate.stats import bootstrap_ci, mean_of, paired_difference, permutation_p_value, ratio_of


def test_normalize_folds_case_punctuation_articles_and_spaces():
    assert normalize("¡La  Cafetera Brisa cuesta 89 euros!") == "cafetera brisa cuesta 89 euros"


def test_exact_match():
    assert exact_match("La cafetera cuesta 89 euros.", "la cafetera cuesta 89 euros") == 1.0
    assert exact_match("La cafetera cuesta 90 euros.", "La cafetera cuesta 89 euros.") == 0.0


def test_token_f1_hand_computed():
    # prediction tokens: cafetera cuesta 90 euros (4); reference: cafetera brisa cuesta 89 euros (5)
    # common: cafetera, cuesta, euros = 3 → precision 3/4, recall 3/5, F1 = 2·0.75·0.6/1.35 = 0.6667
    assert token_f1("La cafetera cuesta 90 euros", "La cafetera Brisa cuesta 89 euros") == pytest.approx(2 / 3)
    assert token_f1("nada", "algo") == 0.0
    assert token_f1("", "") == 1.0


def test_per_example_scores():
    scores = per_example_scores(["a b", "c"], ["a b", "d"])
    assert scores["exact_match"] == [1.0, 0.0] and scores["token_f1"] == [1.0, 0.0] and scores["rouge_l"] == [1.0, 0.0]


def test_rouge_l_uses_order_where_token_f1_does_not():
    # same three words reversed: token F1 1.0; longest common subsequence 1 word → P = R = 1/3, F = 1/3
    assert token_f1("euros cuesta cafetera", "cafetera cuesta euros") == 1.0
    assert rouge_l("euros cuesta cafetera", "cafetera cuesta euros") == pytest.approx(1 / 3)
    # accented words stay whole (rouge-score's own tokenizer would split "está" into "est")
    assert rouge_l("está aquí", "está allí") == pytest.approx(0.5)


def test_bleu_hand_computed():
    # n-gram precisions 5/6, 3/5, 2/4, 1/3, equal lengths (no brevity penalty): (1/12) ** (1/4) = 0.5373
    assert corpus_bleu(["the cat sat on the mat"], ["the cat sat on a mat"]) == pytest.approx(
        100 * (1 / 12) ** 0.25, abs=0.01
    )
    assert corpus_bleu(["la cafetera cuesta 89 euros"], ["la cafetera cuesta 89 euros"]) == pytest.approx(100)


def test_chrf_bounds():
    assert corpus_chrf(["la cafetera cuesta 89 euros"], ["la cafetera cuesta 89 euros"]) == pytest.approx(100)
    assert corpus_chrf(["xyz"], ["abc"]) == 0.0


def test_bootstrap_interval_of_a_mean():
    # 100 coin flips, mean 0.5: the normal approximation gives 0.5 ± 1.96·sqrt(0.25/100) = [0.402, 0.598]
    low, high = bootstrap_ci(mean_of([0.0, 1.0] * 50), 100, 2000, seed=0)
    assert 0.37 < low < 0.43 and 0.57 < high < 0.63
    assert bootstrap_ci(mean_of([0.7] * 10), 10, 200, seed=0) == pytest.approx([0.7, 0.7])


def test_ratio_weights_by_tokens():
    # losses 2 over 1 token and 10 over 4 tokens: 12 / 5 per token, not the mean of 2 and 2.5
    assert ratio_of([2.0, 10.0], [1, 4])(np.arange(2)) == pytest.approx(2.4)


def test_paired_tests():
    # three examples each better by exactly 1: of the 2^3 sign flips, 2 reach |mean| >= 1 → exact p = 0.25
    assert permutation_p_value([0, 0, 0], [1, 1, 1], 1000, seed=0) == pytest.approx(0.25)
    assert permutation_p_value([0.5] * 5, [0.5] * 5, 1000, seed=0) == 1.0
    a, b = [0.0] * 60, [1.0] * 40 + [0.0] * 20
    result = paired_difference(mean_of(a), mean_of(b), 60, 1000, seed=0)
    assert result["difference"] == pytest.approx(2 / 3) and result["p_value"] < 0.01
    assert result["ci"][0] > 0.5 and result["ci"][1] < 0.8
    assert permutation_p_value(a, b, 1000, seed=0) < 0.01


def test_chrf_hand_computed():
    # one character differs at the end: per order n = 1..6 precision = recall = (7-n)/(8-n) → 6/7, 5/6, 4/5,
    # 3/4, 2/3, 1/2; their mean is 0.7345, and with precision = recall chrF (beta 2) is that mean
    expected = 100 * sum((7 - n) / (8 - n) for n in range(1, 7)) / 6
    assert corpus_chrf(["abcdefg"], ["abcdefh"]) == pytest.approx(expected, abs=0.01)


def test_forgetting_is_the_drop_of_retain_answer_f1():
    from afina.config import Config
    from afina.evaluate.forgetting import forgetting_report
    from afina.evaluate.tasks import Scored

    def scored(f1s):
        answers = ["x"] * len(f1s)
        return Scored(
            answers,
            answers,
            {"loss_sum": [1.0] * 4, "tokens": [1] * 4, "exact_match": f1s, "token_f1": f1s, "rouge_l": f1s},
        )

    retain = ("test", {"qa": [{"prompt": f"q{i}", "completion": "x"} for i in range(4)]})
    report = forgetting_report(
        retain,
        {"qa": scored([1.0, 1.0, 0.0, 1.0])},
        {"qa": scored([0.0, 1.0, 0.0, 0.0])},
        Config.model_validate({"evaluate": {"bootstrap_samples": 200}}),
    )
    assert report["forgetting"] == pytest.approx(0.5)  # base 3/4, tuned 1/4
    assert report["ci"][0] <= 0.5 <= report["ci"][1]
    assert [x["prompt"] for x in report["parts"]["qa"]["examples"]] == ["q0", "q1", "q2", "q3"]
