"""Answer-quality metrics on generated text.

Exact match and token F1 are written by hand because `evaluate.load("squad")` fetches its script from
the hub at run time, which fails offline; the definitions follow the SQuAD v1.1 evaluation script,
with Spanish articles folded too. ROUGE-L comes from `rouge-score`, BLEU and chrF from `sacrebleu`
(the packages `evaluate` itself wraps), so they need no download.
"""

from __future__ import annotations

import functools
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


class _Tokenizer:
    """rouge-score's default tokenizer keeps only [a-z0-9] and so splits "está" into "est"; this one keeps
    accented words whole (the same normalisation as exact match)."""

    def tokenize(self, text: str) -> list[str]:
        return normalize(text).split()


@functools.cache
def _rouge_scorer():
    from rouge_score.rouge_scorer import RougeScorer

    return RougeScorer(["rougeL"], tokenizer=_Tokenizer())


def rouge_l(prediction: str, reference: str) -> float:
    return _rouge_scorer().score(reference, prediction)["rougeL"].fmeasure


def corpus_score(name: str, predictions: list[str], references: list[str]):
    """sacreBLEU's BLEU (13a tokenisation) or chrF, 0-100, as a function of the example indices it is computed on.

    Each sentence's n-gram statistics are extracted once and summed per resample, the way sacrebleu's own
    paired bootstrap does it (through the same two methods), so a 1000-sample interval costs milliseconds."""
    import numpy as np
    import sacrebleu

    metric = sacrebleu.BLEU() if name == "bleu" else sacrebleu.CHRF()
    stats = np.array(metric._extract_corpus_statistics(predictions, [references])) if predictions else None
    return lambda idx: float(metric._compute_score_from_stats(stats[idx].sum(0).tolist()).score) if len(idx) else 0.0


def corpus_bleu(predictions: list[str], references: list[str]) -> float:
    return corpus_score("bleu", predictions, references)(list(range(len(predictions))))


def corpus_chrf(predictions: list[str], references: list[str]) -> float:
    return corpus_score("chrf", predictions, references)(list(range(len(predictions))))


def per_example_scores(predictions: list[str], references: list[str]) -> dict[str, list[float]]:
    """Exact match, token F1 and ROUGE-L of each answer against its reference."""
    return {
        "exact_match": list(map(exact_match, predictions, references)),
        "token_f1": list(map(token_f1, predictions, references)),
        "rouge_l": list(map(rouge_l, predictions, references)),
    }


def confusion(predicted: list[str], references: list[str], labels: list[str]) -> dict:
    """The confusion matrix (rows: true label, columns: predicted), by scikit-learn."""
    from sklearn.metrics import confusion_matrix

    return {"labels": labels, "matrix": confusion_matrix(references, predicted, labels=labels).tolist()}
