"""Drift of production inputs against the training data: length (PSI), vocabulary (out-of-vocabulary rate),
and the model's own embeddings (MMD with a permutation test, and which training clusters the inputs fall
outside of).

MMD with a permutation test is written here because no installed library has it for embeddings (scipy's
tests are one-dimensional); the kernel is an RBF on L2-normalised embeddings, its width the median
distance (Gretton et al., "A Kernel Two-Sample Test", 2012).
"""

from __future__ import annotations

import re

import numpy as np

WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def psi(expected: np.ndarray, actual: np.ndarray, bins: int = 5) -> tuple[float, float]:
    """Population stability index of `actual` against `expected` over `expected`'s quantile bins (empty bins
    smoothed by half a count), and the chi-square p-value of `actual`'s bin counts under `expected`'s shares.
    PSI alone is noisy on a small window (about (bins-1)/n under no drift), so both are reported."""
    from scipy.stats import chisquare

    edges = np.unique(np.quantile(expected, np.linspace(0, 1, bins + 1)))
    if len(edges) < 3:  # the training lengths take one or two values: bins of the pooled sample instead
        edges = np.unique(np.quantile(np.concatenate([expected, actual]), np.linspace(0, 1, bins + 1)))
    if len(edges) < 3:
        edges = np.array([edges[0] - 0.5, edges[0] + 0.5, edges[-1] + 1.0])
    edges[0], edges[-1] = -np.inf, np.inf
    e = np.histogram(expected, edges)[0] + 0.5
    counts = np.histogram(actual, edges)[0]
    a = counts + 0.5
    e, a = e / e.sum(), a / a.sum()
    p_value = chisquare(counts, e * counts.sum()).pvalue if len(edges) > 2 else 1.0
    return float(np.sum((a - e) * np.log(a / e))), float(p_value)


def oov_rate(vocabulary: set[str], texts: list[str]) -> float:
    """The share of the texts' words that the vocabulary lacks."""
    all_words = [w for t in texts for w in words(t)]
    return sum(w not in vocabulary for w in all_words) / max(len(all_words), 1)


def mmd_test(x: np.ndarray, y: np.ndarray, permutations: int, seed: int) -> tuple[float, float]:
    """(MMD², p-value) of samples x and y (rows), by permuting the pooled sample's labels. MMD² is w'Kw with
    w = 1/n on x's rows and -1/m on y's, so every permutation is one column of one matrix product."""
    pooled = np.concatenate([x, y]).astype(np.float64)
    norms = np.sum(pooled**2, axis=1)
    squared = np.maximum(norms[:, None] + norms[None, :] - 2 * pooled @ pooled.T, 0)
    width = np.median(squared[np.triu_indices(len(pooled), 1)]) or 1.0
    kernel = np.exp(-squared / width)
    n, m = len(x), len(y)
    base = np.concatenate([np.full(n, 1 / n), np.full(m, -1 / m)])
    rng = np.random.default_rng(seed)
    weights = np.stack([base] + [rng.permutation(base) for _ in range(permutations)], axis=1)
    statistics = np.sum(weights * (kernel @ weights), axis=0)
    observed = statistics[0]
    return float(observed), float((np.sum(statistics[1:] >= observed) + 1) / (permutations + 1))


def clusters(train: np.ndarray, window: np.ndarray, k: int, seed: int) -> dict:
    """k-means clusters of the training embeddings; each input's nearest cluster, and whether it lies outside
    them all (farther from its nearest centre than 95% of the training points are from theirs)."""
    from sklearn.cluster import KMeans

    k = max(1, min(k, len(train) // 5))
    model = KMeans(n_clusters=k, n_init=4, random_state=seed).fit(train)
    train_distance = np.min(model.transform(train), axis=1)
    radius = float(np.quantile(train_distance, 0.95))
    distance = model.transform(window)
    nearest, closest = distance.argmin(1), distance.min(1)
    return {
        "k": k,
        "radius": radius,
        "train_labels": model.labels_.tolist(),
        "nearest": nearest.tolist(),
        "outside": (closest > radius).tolist(),
    }


def embed(model, tokenizer, texts: list[str], batch_size: int = 32) -> np.ndarray:
    """Each text's mean last hidden state under the model (its padding masked out), L2-normalised."""
    import torch

    tokenizer.padding_side = "right"
    rows = []
    with torch.inference_mode():
        for start in range(0, len(texts), batch_size):
            batch = tokenizer(texts[start : start + batch_size], return_tensors="pt", padding=True, truncation=True,
                              max_length=256).to(model.device)  # fmt: skip
            hidden = model(**batch, output_hidden_states=True).hidden_states[-1].float()
            mask = batch["attention_mask"].unsqueeze(-1).float()
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
            rows.append(torch.nn.functional.normalize(mean, dim=-1).cpu().numpy())
    return np.concatenate(rows)
