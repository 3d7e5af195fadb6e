"""Answer-quality metrics on generated text: exact match and token F1 (SQuAD-style normalisation).

Written by hand because `evaluate.load("squad")` fetches its script from the hub at run time,
which fails offline; the definitions follow the SQuAD v1.1 evaluation script, with Spanish
articles folded too.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter

_ARTICLES = re.compile(r"\b(a|an|the|el|la|los|las|un|una|unos|unas)\b")
_PUNCTUATION = set(string.punctuation) | {"¿", "¡", "«", "»", "—", "…"}


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    text = "".join(ch for ch in text if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, reference: str) -> float:
    return float(normalize(prediction) == normalize(reference))


def token_f1(prediction: str, reference: str) -> float:
    pred, ref = normalize(prediction).split(), normalize(reference).split()
    if not pred or not ref:
        return float(pred == ref)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def answer_scores(predictions: list[str], references: list[str]) -> dict:
    n = max(len(references), 1)
    return {"exact_match": sum(map(exact_match, predictions, references)) / n,
            "token_f1": sum(map(token_f1, predictions, references)) / n}


def classification_scores(predicted: list[str], references: list[str], labels: list[str]) -> dict:
    """Accuracy, macro-F1 and the confusion matrix (rows: true label, columns: predicted), by scikit-learn."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    return {"accuracy": float(accuracy_score(references, predicted)),
            "macro_f1": float(f1_score(references, predicted, labels=labels, average="macro", zero_division=0)),
            "confusion_matrix": {"labels": labels,
                                 "matrix": confusion_matrix(references, predicted, labels=labels).tolist()}}
