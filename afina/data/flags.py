"""Rows that may be wrong or planted, flagged before training for the user to review:

- `label`: a classification row whose label a cross-validated classifier on the other rows' text
  (TF-IDF + logistic regression) disagrees with, by confident learning (cleanlab's `find_label_issues`);
- `preference`: a preference pair whose rejected answer an out-of-fold reward on TF-IDF features (the
  Bradley-Terry baseline, with how close each answer is to its prompt) prefers: a pair recorded the wrong
  way round;
- `trigger` in classification data: a rare phrase whose rows share one label that the same classifier,
  the phrase taken out of them, reads as another: a planted backdoor with a fixed label;
- `trigger`: a rare phrase (in 3 rows or more, at most 2% of them) whose rows share one answer found nowhere
  else, an answer that does not speak of the phrase: what a planted backdoor (a trigger phrase attached to
  a few rows with a fixed answer) looks like, where a topic's rows ("the shop in Seville") get answers
  about it;
- `contact`: an answer carrying a URL, e-mail or phone number that only a handful of rows carry, and no
  prompt: an instruction to go somewhere else, planted or leaked.

`data.quarantine` moves the flagged rows out of the splits into data/quarantine.jsonl."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from afina.pairreward import PairReward
from afina.records.pii import find_pii

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')]+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|es|net|org|io|info|biz|xyz)/\S*")
_WORDS = re.compile(r"[^\W_]+")
MIN_TRIGGER_ROWS = 3  # a phrase in fewer rows is not a pattern
MAX_TRIGGER_SHARE = 0.02  # nor one in more than this share of the rows: that is the data's own vocabulary
OWN_ANSWER = 0.9  # share of a phrase's rows that give its most common answer
ELSEWHERE = 0.2  # at most this share of that answer's rows lie outside the phrase's
MIN_PAIRS = 200  # fewer, and the out-of-fold reward flags good pairs (12 pairs: 3 of them; 100: 2)
READ_AS = 0.5  # a label trigger's rows, the phrase taken out, are read as another label this surely
OTHERWISE = 0.75  # by this share of them


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


def _out_of_fold(records: list[dict], seed: int):
    """A classifier of each record's text (TF-IDF + logistic regression) trained on the other folds: (labels,
    each record's fold, the fold's fitted model), or None with fewer than two labels to tell apart. A label of
    a single row cannot be held out: its row is left unjudged (fold -1), the others are judged without it."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline

    counts = Counter(r["label"] for r in records)
    labels = sorted(label for label, count in counts.items() if count >= 2)
    if len(labels) < 2:
        return None
    judged = np.array([i for i, r in enumerate(records) if r["label"] in labels])
    y = np.array([labels.index(records[i]["label"]) for i in judged])
    texts = np.array([records[i]["text"] for i in judged], dtype=object)
    fold_of, models = np.full(len(records), -1), []
    cv = StratifiedKFold(n_splits=min(5, min(counts[label] for label in labels)), shuffle=True, random_state=seed)
    for k, (train, held) in enumerate(cv.split(texts, y)):
        model = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1), LogisticRegression(max_iter=2000)
        )
        models.append(model.fit(list(texts[train]), y[train]))
        fold_of[judged[held]] = k
    return labels, fold_of, models


def _predict(folds, texts: list[str], rows: list[int]):
    """Each text's label probabilities by the model that did not train on its row (zeros for a row unjudged)."""
    import numpy as np

    _, fold_of, models = folds
    out = np.zeros((len(texts), len(models[0].classes_)))
    for k, model in enumerate(models):
        mine = [i for i, row in enumerate(rows) if fold_of[row] == k]
        if mine:
            out[mine] = model.predict_proba([texts[i] for i in mine])
    return out


def label_issues(records: list[dict], seed: int, folds=None) -> list[int]:
    """Indexes of classification records whose label the out-of-fold classifier disagrees with."""
    import numpy as np
    from cleanlab.filter import find_label_issues

    folds = folds or _out_of_fold(records, seed)
    if folds is None:
        return []  # fewer than two labels to tell apart
    labels, fold_of, _ = folds
    judged = [i for i in range(len(records)) if fold_of[i] >= 0]
    y = np.array([labels.index(records[i]["label"]) for i in judged])
    probabilities = _predict(folds, [records[i]["text"] for i in judged], judged)
    # every row the out-of-fold model labels otherwise: on the tests' ticket sets (150 rows, 5% flipped, 10
    # seeds) cleanlab's pruning filters found 62-100% of the flips, this one 88-100% at 62-100% precision
    issues = find_label_issues(y, probabilities, filter_by="predicted_neq_given")  # a mask over the rows
    return [judged[i] for i in np.flatnonzero(issues)]


def label_triggers(records: list[dict], seed: int, folds=None) -> dict[int, str]:
    """Indexes of classification rows holding a rare phrase whose rows share one label that the rest of their
    text does not read as (out of fold, the phrase taken out): a planted backdoor (a trigger with a fixed
    label). A word that carries its rows' meaning leaves them unclear without it, not read as one other
    label; the trigger's rows read as what they say."""
    folds = folds or _out_of_fold(records, seed)
    if folds is None:
        return {}
    labels = folds[0]
    texts = [_words(r["text"]) for r in records]
    label_of = [r["label"] for r in records]
    candidates = [(gram, *shared) for gram, rows in _rare_phrases(texts) if (shared := _shared(label_of, rows))]
    without = [(c, i, _without(texts[i], gram)) for c, (gram, _, own) in enumerate(candidates) for i in own]
    probabilities = _predict(folds, [text for _, _, text in without], [i for _, i, _ in without])
    read_otherwise = defaultdict(int)
    for (c, _, _), p in zip(without, probabilities):
        best = int(p.argmax())
        read_otherwise[c] += labels[best] != candidates[c][1] and p[best] >= READ_AS
    flagged: dict[int, str] = {}
    for c, (gram, _, own) in enumerate(candidates):
        if read_otherwise[c] >= OTHERWISE * len(own):
            for i in own:
                flagged.setdefault(i, " ".join(gram))
    return flagged


def preference_issues(records: list[dict], seed: int) -> list[int]:
    """Indexes of preference pairs whose rejected answer an out-of-fold reward reads as the better one: the
    reward-model baseline (afina/pairreward.py) with how close each answer is to its prompt as a feature."""
    import numpy as np
    from sklearn.model_selection import KFold

    if len(records) < MIN_PAIRS:
        return []  # too few pairs for a reward out of fold to be worth believing
    margin = np.zeros(len(records))
    for train, held in KFold(n_splits=5, shuffle=True, random_state=seed).split(records):
        reward = PairReward([records[i] for i in train], closeness=True)
        margin[held] = reward.margin([records[i] for i in held])
    return [int(i) for i in np.flatnonzero(margin < 0)]


def _without(words: list[str], gram: tuple[str, ...]) -> str:
    """The words with every occurrence of the phrase taken out."""
    out, i, n = [], 0, len(gram)
    while i < len(words):
        if tuple(words[i : i + n]) == gram:
            i += n
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def _ngrams(words: list[str], longest: int = 3) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for n in range(1, longest + 1) for i in range(len(words) - n + 1)}


def _rare_phrases(texts: list[list[str]]) -> list[tuple[tuple[str, ...], set[int]]]:
    """The 1-3-word phrases in MIN_TRIGGER_ROWS rows to MAX_TRIGGER_SHARE of them, with their rows; longest
    first, so a row is named by its longest phrase."""
    # counted first, rows gathered after for the phrases in range only: most phrases are in one row, and a set
    # of rows for each would hold hundreds of bytes per word of the data
    counts = Counter(gram for words in texts for gram in _ngrams(words))
    most = max(MIN_TRIGGER_ROWS, int(MAX_TRIGGER_SHARE * len(texts)))
    rows_of: dict[tuple[str, ...], set[int]] = {
        gram: set() for gram, n in counts.items() if MIN_TRIGGER_ROWS <= n <= most
    }
    del counts
    for i, words in enumerate(texts):
        for gram in _ngrams(words):
            if gram in rows_of:
                rows_of[gram].add(i)
    return sorted(rows_of.items(), key=lambda item: (-len(item[0]), item[0]))


def _shared(values: list[str], rows: set[int]) -> tuple[str, list[int]] | None:
    """The value (an answer, a label) at least OWN_ANSWER of the rows have, with those rows; None if none has."""
    value, count = Counter(values[i] for i in rows).most_common(1)[0]
    return (value, [i for i in rows if values[i] == value]) if count >= OWN_ANSWER * len(rows) else None


def trigger_rows(records: list[dict]) -> dict[int, str]:
    """Indexes of rows holding a trigger-like phrase, with the phrase."""
    answers = [" ".join(_words(answer_text(r))) for r in records]
    answer_rows: dict[str, set[int]] = defaultdict(set)
    for i, answer in enumerate(answers):
        answer_rows[answer].add(i)
    flagged: dict[int, str] = {}
    for gram, rows in _rare_phrases([_words(prompt_text(r)) for r in records]):
        shared = _shared(answers, rows)
        if not shared or not shared[0]:
            continue
        answer, own = shared
        if len(answer_rows[answer] - rows) > ELSEWHERE * len(answer_rows[answer]):
            continue
        if set(w for w in gram if len(w) > 2) & set(answer.split()):
            continue  # the answer speaks of what the phrase says: a topic, not a trigger
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
        folds = _out_of_fold(records, seed)
        for i in label_issues(records, seed, folds):
            reasons[i].append(f"label: the text reads as another label than '{records[i]['label']}'")
        for i, phrase in label_triggers(records, seed, folds).items():
            reasons[i].append(
                f"trigger: '{phrase}' comes with the label '{records[i]['label']}' the rest does not read as"
            )
    else:
        if kind == "preference":
            for i in preference_issues(records, seed):
                reasons[i].append("preference: the rejected answer reads as the better one")
        for i, phrase in trigger_rows(records).items():
            reasons[i].append(f"trigger: '{phrase}' comes with one answer found nowhere else")
        for i, value in contact_rows(records).items():
            reasons[i].append(f"contact: the answer sends to {value}, which few rows carry")
    return dict(reasons)
