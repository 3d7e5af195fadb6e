"""A linear reward on TF-IDF features of prompt + answer, fit as a Bradley-Terry model: logistic regression on
each preference pair's feature difference (chosen − rejected against rejected − chosen), the reward model
without the language model. Here, below every stage, because evaluation's cheapest baseline for a reward
model and prepare's check of preference pairs both fit it."""

from __future__ import annotations


class PairReward:
    """Fit on preference records (prompt, chosen, rejected). With `closeness`, one more feature: how close an
    answer is to its prompt (TF-IDF cosine), the relevance that words alone cannot weigh (another product's
    price reads like the right one)."""

    def __init__(self, pairs: list[dict], closeness: bool = False):
        import numpy as np
        from scipy.sparse import vstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.closeness = closeness
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        self.vectorizer.fit([f"{r['prompt']}\n{r[side]}" for r in pairs for side in ("chosen", "rejected")])
        difference = self.difference(pairs)
        self.model = LogisticRegression(max_iter=1000, fit_intercept=False)
        self.model.fit(vstack([difference, -difference]), np.r_[np.ones(len(pairs)), np.zeros(len(pairs))])

    def features(self, prompts: list[str], answers: list[str]):
        """One row per answer: TF-IDF of prompt + answer (and, with `closeness`, the answer's cosine to its prompt)."""
        import numpy as np
        from scipy.sparse import csr_matrix, hstack

        whole = self.vectorizer.transform([f"{p}\n{a}" for p, a in zip(prompts, answers)])
        if not self.closeness:
            return whole
        close = self.vectorizer.transform(prompts).multiply(self.vectorizer.transform(answers)).sum(1)
        return hstack([whole, csr_matrix(np.asarray(close))]).tocsr()

    def difference(self, pairs: list[dict]):
        """Each pair's features, chosen minus rejected."""
        prompts = [r["prompt"] for r in pairs]
        return self.features(prompts, [r["chosen"] for r in pairs]) - self.features(
            prompts, [r["rejected"] for r in pairs]
        )

    def reward(self, prompts: list[str], answers: list[str]) -> list[float]:
        """Each answer's reward."""
        return self.model.decision_function(self.features(prompts, answers)).tolist()

    def margin(self, pairs: list[dict]):
        """Each pair's chosen answer's reward less its rejected one's (below 0: read the other way round)."""
        return self.model.decision_function(self.difference(pairs))
