"""The cheapest baseline: a lookup of the nearest training question, TF-IDF + logistic regression for
labels, scored like a model; and a gate that refuses a tuned model the lookup beats."""

import pytest

from afina.config import Config
from afina.evaluate.baseline import cheapest_baseline
from afina.evaluate.gate import check_gate
from afina.evaluate.tasks import compare

FAQ = [
    ("¿Cuánto cuesta la cafetera Brisa?", "La cafetera Brisa cuesta 49 euros."),
    ("¿A qué hora abre la tienda?", "Abrimos de 9 a 20 h, de lunes a sábado."),
    ("¿Hacéis envíos a Canarias?", "Sí, enviamos a Canarias en 5 días laborables."),
    ("¿Cómo devuelvo un producto?", "Tienes 30 días para devolverlo desde tu cuenta."),
]
PARAPHRASES = ["¿cuanto cuesta la cafetera brisa", "¿A qué hora abrís la tienda?", "¿envíos a canarias?"]


def _records(pairs):
    return [{"prompt": p, "completion": c} for p, c in pairs]


def test_a_paraphrase_gets_the_answer_of_its_nearest_training_question():
    test = _records([(p, FAQ[i][1]) for i, p in enumerate(PARAPHRASES)])
    train = _records(FAQ) + [{"prompt": "canary", "completion": "secreto 123456", "canary": "c1"}]
    scored = cheapest_baseline("answers", train, test, Config(), None)
    assert scored.predictions == [FAQ[i][1] for i in range(3)]
    assert scored.values["exact_match"] == [1.0, 1.0, 1.0] and "loss_sum" not in scored.values


def test_plain_text_has_no_answers_to_look_up():
    assert cheapest_baseline("answers", [{"text": "hola"}], [{"text": "adiós"}], Config(), None) is None


def test_labels_get_tfidf_and_logistic_regression():
    words = {"pos": ["genial", "encanta", "perfecto"], "neg": ["roto", "terrible", "devolver"]}
    train = [{"text": f"{w} {i}", "label": label} for label, ws in words.items() for w in ws for i in range(5)]
    test = [{"text": "me encanta, genial", "label": "pos"}, {"text": "llegó roto, terrible", "label": "neg"}]
    scored = cheapest_baseline("labels", train, test, Config(), ["neg", "pos"])
    assert scored.predictions == ["pos", "neg"] and scored.values["accuracy"] == [1.0, 1.0]
    assert all(loss < 0.7 for loss in scored.values["loss"])  # the true label is the likelier one


def _results(baseline_f1: float, tuned_f1: float) -> dict:
    test = _records([(p, FAQ[i][1]) for i, p in enumerate(PARAPHRASES)] * 4)
    baseline = cheapest_baseline("answers", _records(FAQ), test, Config(), None)
    tuned = cheapest_baseline("answers", _records(FAQ), test, Config(), None)
    n = len(test)
    baseline.values["token_f1"] = [baseline_f1] * n
    tuned.values["token_f1"] = [tuned_f1 + 0.01 * (i % 3) for i in range(n)]
    return {
        "objective": "sft",
        "models": {"tuned": {"token_f1": sum(tuned.values["token_f1"]) / n}},
        "baseline_comparison": compare(
            baseline, tuned, Config.model_validate({"evaluate": {"bootstrap_samples": 200}})
        ),
        "checks": {"tuned": {}},
    }


@pytest.mark.parametrize("baseline_f1, tuned_f1, passes", [(0.45, 0.12, False), (0.12, 0.45, True)])
def test_the_gate_refuses_a_tuned_model_the_lookup_beats(baseline_f1, tuned_f1, passes):
    gate = check_gate(_results(baseline_f1, tuned_f1), Config.model_validate({"gate": {"min_gain_over_baseline": 0}}))
    [check] = gate["checks"]
    assert check["check"] == "min_gain_over_baseline" and check["passed"] is passes and gate["passed"] is passes


def test_a_baseline_gate_without_a_baseline_fails_as_not_measured():
    results = {"objective": "sft", "models": {"tuned": {"token_f1": 0.9}}, "checks": {"tuned": {}}}
    gate = check_gate(results, Config.model_validate({"gate": {"min_gain_over_baseline": 0.0}}))
    assert not gate["passed"] and gate["checks"][0]["note"] == "not measured"
