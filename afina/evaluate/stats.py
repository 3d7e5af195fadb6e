"""Uncertainty of every reported number: bootstrap intervals and paired significance tests (scipy).

A metric is given as a function of an index array, so per-example means (exact match, F1),
ratios (loss over tokens) and corpus-level scores (BLEU, chrF, macro-F1) are resampled the same way.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

Metric = Callable[[np.ndarray], float]
CONFIDENCE = 0.95


def bootstrap_ci(metric: Metric, n: int, samples: int, seed: int) -> list[float]:
    """Percentile bootstrap 95% interval of metric over n examples (a point interval when n < 2)."""
    if n < 2:
        value = metric(np.arange(n))
        return [value, value]
    from scipy.stats import bootstrap

    result = bootstrap(
        (np.arange(n),),
        lambda idx: metric(idx.astype(int)),
        vectorized=False,
        n_resamples=samples,
        confidence_level=CONFIDENCE,
        method="percentile",
        rng=np.random.default_rng(seed),
    )
    return [float(result.confidence_interval.low), float(result.confidence_interval.high)]


def paired_difference(metric_a: Metric, metric_b: Metric, n: int, samples: int, seed: int) -> dict:
    """b minus a on the same examples: the difference, its paired-bootstrap 95% interval, and a two-sided
    p-value (the share of resampled differences on the other side of zero, doubled; Koehn 2004)."""
    everything = np.arange(n)
    difference = metric_b(everything) - metric_a(everything)
    if n < 2:
        return {"difference": difference, "ci": [difference, difference], "p_value": 1.0}
    rng = np.random.default_rng(seed)
    draws = np.array([metric_b(idx) - metric_a(idx) for idx in rng.integers(0, n, size=(samples, n))])
    low, high = np.quantile(draws, [(1 - CONFIDENCE) / 2, (1 + CONFIDENCE) / 2])
    # (count + 1) / (samples + 1): never exactly 0 from a finite number of resamples
    p_value = min(1.0, 2 * (min(int((draws <= 0).sum()), int((draws >= 0).sum())) + 1) / (samples + 1))
    return {"difference": float(difference), "ci": [float(low), float(high)], "p_value": p_value}


def permutation_p_value(a: list[float], b: list[float], samples: int, seed: int) -> float:
    """Two-sided paired permutation (sign-flip) test of mean(b - a) = 0, by scipy."""
    from scipy.stats import permutation_test

    diffs = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    if len(diffs) < 2 or not diffs.any():
        return 1.0
    result = permutation_test(
        (diffs,),
        np.mean,
        permutation_type="samples",
        n_resamples=samples,
        alternative="two-sided",
        rng=np.random.default_rng(seed),
    )
    return float(result.pvalue)


def mean_of(values: list[float]) -> Metric:
    array = np.asarray(values, dtype=float)
    return lambda idx: float(array[idx].mean()) if len(idx) else 0.0


def ratio_of(numerators: list[float], denominators: list[float]) -> Metric:
    """sum(num)/sum(den) over the chosen examples: a token-weighted mean such as the loss per token."""
    num, den = np.asarray(numerators, dtype=float), np.asarray(denominators, dtype=float)
    return lambda idx: float(num[idx].sum() / max(den[idx].sum(), 1.0))
