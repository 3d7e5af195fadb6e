"""Rows that may be wrong or planted, flagged before training for the user to review:

- `label`: a classification row whose label a cross-validated classifier on the other rows' text
  (TF-IDF + logistic regression) disagrees with, by confident learning (cleanlab's `find_label_issues`);
- `trigger`: a rare phrase (in 3 rows or more, at most 2% of them) whose rows share one answer found nowhere
  else, an answer that does not speak of the phrase: what a planted backdoor (a trigger phrase attached to
  a few rows with a fixed answer) looks like, where a topic's rows ("the shop in Seville") get answers
  about it;
- `contact`: an answer carrying a URL, e-mail or phone number that only a handful of rows carry, and no
  prompt: an instruction to go somewhere else, planted or leaked.

`data.quarantine` moves the flagged rows out of the splits into data/quarantine.jsonl."""

from __future__ import annotations

import re
from collections import defaultdict

from afina.records.pii import find_pii

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')]+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|es|net|org|io|info|biz|xyz)/\S*")
_WORDS = re.compile(r"[^\W_]+")
MIN_TRIGGER_ROWS = 3  # a phrase in fewer rows is not a pattern
MAX_TRIGGER_SHARE = 0.02  # nor one in more than this share of the rows: that is the data's own vocabulary
OWN_ANSWER = 0.9  # share of a phrase's rows that give its most common answer
ELSEWHERE = 0.2  # at most this share of that answer's rows lie outside the phrase's


def prompt_text(record: dict) -> str:
    """What a record asks: its prompt, text, or a chat's turns but the assistant's."""
    if "messages" in record:
        return " ".join(m["content"] for m in record["messages"] if m["role"] != "assistant")
    return record.get("prompt") or record.get("text") or ""


def answer_text(record: dict) -> str:
    """What a record answers: its completion, label, chosen answer, or a chat's assistant turns."""
    if "messages" in record:
        return " ".join(m["content"] for m in record["messages"] if m["role"] == "assistant")
    return record.get("completion") or record.get("label") or record.get("chosen") or ""


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.casefold())


def label_issues(records: list[dict], seed: int) -> list[int]:
    """Indexes of classification records whose label the out-of-fold classifier disagrees with."""
    import numpy as np
    from cleanlab.filter import find_label_issues
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline

    labels = sorted({r["label"] for r in records})
    counts = [sum(r["label"] == label for r in records) for label in labels]
    folds = min(5, min(counts))
    if len(labels) < 2 or folds < 2:
        return []  # too few rows of a label to hold any out
    y = np.array([labels.index(r["label"]) for r in records])
    texts = [r["text"] for r in records]
    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1), LogisticRegression(max_iter=2000)
    )
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    probabilities = cross_val_predict(model, texts, y, cv=cv, method="predict_proba")
    # every row the out-of-fold model labels otherwise: on the tests' ticket sets (150 rows, 5% flipped, 10
    # seeds) cleanlab's pruning filters found 62-100% of the flips, this one 88-100% at 62-100% precision
    issues = find_label_issues(y, probabilities, filter_by="predicted_neq_given")  # a mask over the rows
    return [int(i) for i in np.flatnonzero(issues)]


def _ngrams(words: list[str], longest: int = 3) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for n in range(1, longest + 1) for i in range(len(words) - n + 1)}


def trigger_rows(records: list[dict]) -> dict[int, str]:
    """Indexes of rows holding a trigger-like phrase, with the phrase."""
    prompts = [_words(prompt_text(r)) for r in records]
    answers = [" ".join(_words(answer_text(r))) for r in records]
    rows_of: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for i, words in enumerate(prompts):
        for gram in _ngrams(words):
            rows_of[gram].add(i)
    answer_rows: dict[str, set[int]] = defaultdict(set)
    for i, answer in enumerate(answers):
        answer_rows[answer].add(i)
    most = max(MIN_TRIGGER_ROWS, int(MAX_TRIGGER_SHARE * len(records)))
    flagged: dict[int, str] = {}
    for gram, rows in sorted(rows_of.items(), key=lambda item: (-len(item[0]), item[0])):  # longest named
        if not MIN_TRIGGER_ROWS <= len(rows) <= most:
            continue
        by_answer: dict[str, int] = defaultdict(int)
        for i in rows:
            by_answer[answers[i]] += 1
        answer, count = max(by_answer.items(), key=lambda item: item[1])
        if not answer or count < OWN_ANSWER * len(rows):
            continue
        if len(answer_rows[answer] - rows) > ELSEWHERE * len(answer_rows[answer]):
            continue
        if set(w for w in gram if len(w) > 2) & set(answer.split()):
            continue  # the answer speaks of what the phrase says: a topic, not a trigger
        own = [i for i in rows if answers[i] == answer]
        for i in own:
            flagged.setdefault(i, " ".join(gram))
    return flagged


def contact_rows(records: list[dict]) -> dict[int, str]:
    """Indexes of rows whose answer carries a URL, e-mail or phone that few rows and no prompt carry."""
    found: dict[str, set[int]] = defaultdict(set)
    for i, record in enumerate(records):
        answer = answer_text(record)
        values = _URL.findall(answer) + [s["value"] for s in find_pii(answer) if s["type"] in ("email", "phone")]
        for value in values:
            found[value.casefold()].add(i)
    prompts = " ".join(prompt_text(r) for r in records).casefold()
    few = max(5, int(0.02 * len(records)))
    flagged: dict[int, str] = {}
    for value, rows in found.items():
        if len(rows) <= few and value not in prompts:
            for i in rows:
                flagged.setdefault(i, value)
    return flagged


def flag(records: list[dict], kind: str, seed: int) -> dict[int, list[str]]:
    """Reasons per flagged record index."""
    reasons: dict[int, list[str]] = defaultdict(list)
    if kind == "classification":
        for i in label_issues(records, seed):
            reasons[i].append(f"label: the text reads as another label than '{records[i]['label']}'")
    else:
        for i, phrase in trigger_rows(records).items():
            reasons[i].append(f"trigger: '{phrase}' comes with one answer found nowhere else")
        for i, value in contact_rows(records).items():
            reasons[i].append(f"contact: the answer sends to {value}, which few rows carry")
    return dict(reasons)
