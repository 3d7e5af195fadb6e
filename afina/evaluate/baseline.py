"""The cheapest alternative a user has to fine-tuning, scored on the same test split: for answers, the
answer of the nearest training question by TF-IDF (a lookup a support team could deploy in an
afternoon); for labels, TF-IDF + logistic regression. A gate can require the tuned model to beat it
(`gate.min_gain_over_baseline`), so a model a lookup beats is not called fit to ship."""

from __future__ import annotations

import math

from afina.config import Config
from afina.evaluate.metrics import per_example_scores
from afina.evaluate.tasks import Scored, inputs_and_references, pair_scores
from afina.pairreward import PairReward

# What the cheapest baseline of each scoring is, as eval.json and the report name it.
BASELINE_OF = {
    "answers": "the answer of the nearest training question (TF-IDF of character n-grams)",
    "targets": "the target of the nearest training input (TF-IDF of character n-grams)",
    "labels": "TF-IDF + logistic regression",
    "pairs": "TF-IDF + logistic regression on the difference of the two answers",
}


def _without_canaries(records: list[dict]) -> list[dict]:
    return [r for r in records if "canary" not in r]


def nearest_answers(scoring: str, train: list[dict], test: list[dict], config: Config) -> Scored | None:
    """Each test question answered with the answer of the most similar training question (cosine of
    character n-gram TF-IDF, which holds up to paraphrase and typos); None for data without answers."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    questions, answers = inputs_and_references(scoring, _without_canaries(train), config)
    inputs, references = inputs_and_references(scoring, test, config)
    if not answers or not references:
        return None
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    index, queries = vectorizer.fit_transform(questions), vectorizer.transform(inputs)
    nearest = [
        i for start in range(0, queries.shape[0], 512)  # a block of similarities at a time, not the whole matrix
        for i in (queries[start : start + 512] @ index.T).toarray().argmax(axis=1)
    ]  # fmt: skip
    predictions = [answers[i] for i in nearest]
    return Scored(predictions, references, per_example_scores(predictions, references))


def logistic_regression(
    scoring: str, train: list[dict], test: list[dict], config: Config, labels: list[str]
) -> Scored | None:
    """TF-IDF (words and word pairs) + logistic regression, trained on the train split's texts and labels."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    texts, gold = inputs_and_references(scoring, _without_canaries(train), config)
    inputs, references = inputs_and_references(scoring, test, config)
    if len(set(gold)) < 2:  # nothing to tell apart: no classifier to fit
        return None
    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), LogisticRegression(max_iter=1000))
    model.fit(texts, gold)
    classes = list(model.classes_)
    probabilities = model.predict_proba(inputs)
    predicted = [classes[row.argmax()] for row in probabilities]
    # a label the train split never held has probability 0 here: its loss is capped, as a float can hold it
    losses = [
        -math.log(max(row[classes.index(r)] if r in classes else 0.0, 1e-12))
        for row, r in zip(probabilities, references)
    ]
    correct = [float(p == r) for p, r in zip(predicted, references)]
    return Scored(predicted, references, {"loss": losses, "accuracy": correct}, labels=labels)


def pair_classifier(train: list[dict], test: list[dict]) -> Scored:
    """The Bradley-Terry model a reward model trains, without the language model (afina/pairreward.py)."""
    reward = PairReward(_without_canaries(train)).reward
    prompts = [r["prompt"] for r in test]
    return pair_scores(reward(prompts, [r["chosen"] for r in test]), reward(prompts, [r["rejected"] for r in test]))


def cheapest_baseline(scoring: str, train: list[dict], test: list[dict], config: Config, labels) -> Scored | None:
    """The cheapest alternative for an objective's SCORING, scored like a model (None where none applies)."""
    if scoring == "pairs":
        return pair_classifier(train, test)
    if scoring == "labels":
        return logistic_regression(scoring, train, test, config, labels)
    return nearest_answers(scoring, train, test, config)
