"""Exact match and token F1 of an answer against a reference, after folding case, punctuation and articles.

Written by hand because `evaluate.load("squad")` fetches its script from the hub at run time, which fails
offline; the definitions follow the SQuAD v1.1 evaluation script, with Spanish articles folded too. Here,
below every stage, because evaluation scores with them and the policy-gradient objectives reward with them.
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
