import pytest

from afina.evaluate.metrics import answer_scores, exact_match, normalize, token_f1


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


def test_answer_scores_average():
    scores = answer_scores(["a b", "c"], ["a b", "d"])
    assert scores == {"exact_match": 0.5, "token_f1": 0.5}
