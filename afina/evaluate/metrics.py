"""Answer-quality metrics on generated text: exact match and token F1 (afina.textmetrics), ROUGE-L from
`rouge-score`, BLEU and chrF from `sacrebleu` (the packages `evaluate` itself wraps), so none needs a
download.
"""

from __future__ import annotations

import functools

from afina.textmetrics import exact_match, normalize, token_f1

__all__ = ["exact_match", "normalize", "token_f1", "rouge_l", "per_example_scores", "corpus_score", "confusion"]


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
