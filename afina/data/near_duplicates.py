"""Rows that are the same example written a little differently: casing, accents, punctuation, a word changed,
added or left out, in the prompt and in the answer alike. MinHash over character 3-grams (datasketch's LSH)
proposes candidates among many rows; a pair is a near-duplicate when, words normalised, its prompt and answer
together differ by at most one word (one in ten beyond 20 words; none under five words). Two prompts a word
apart with answers a word apart ("la tienda de Bilbao" against "de Valencia") are different questions.

Across splits a near-duplicate is a leak (the evaluation would be scored on what was trained); within the
training split it is reported, and with `data.near_duplicates: collapse` kept once."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from datasketch import MinHash, MinHashLSH

from afina.data.flags import answer_text, prompt_text

CANDIDATES = 0.5  # the LSH's Jaccard threshold on 3-gram sets: well below what one word changed leaves
PERMUTATIONS = 64


def words(text: str) -> list[str]:
    """Casefolded, without accents or punctuation."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.findall(r"\w+", text)


def _signature(tokens: list[str]) -> MinHash:
    joined = " ".join(tokens)
    signature = MinHash(num_perm=PERMUTATIONS, seed=1)
    signature.update_batch([joined[i : i + 3].encode() for i in range(max(1, len(joined) - 2))])
    return signature


def _distance(a: list[str], b: list[str], limit: int, bags: tuple[frozenset, frozenset]) -> int:
    """Word-level edit distance, or limit + 1 once it is past the limit. `bags`: a's and b's `_bag`, for a floor
    that spares most pairs the quadratic table (an alignment matches at most the words both hold)."""
    if a == b:
        return 0
    if max(len(a), len(b)) - len(bags[0] & bags[1]) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, word in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)


class _Row(NamedTuple):
    """A row's prompt words and its answers' (a preference pair's rejected answer too), and each as a `_bag`."""

    prompt: list[str]
    answer: list[str]
    prompt_bag: frozenset
    answer_bag: frozenset


def _near(row: _Row, other: _Row) -> bool:
    """At most one word apart over prompt and answer together (one in ten beyond 20 words); nothing apart
    under five words, where one word is the meaning ("great" against "nice")."""
    longest = max(len(row.prompt) + len(row.answer), len(other.prompt) + len(other.answer))
    allowed = 0 if longest < 5 else max(1, longest // 10)
    apart = _distance(row.prompt, other.prompt, allowed, (row.prompt_bag, other.prompt_bag))
    if apart > allowed:
        return False
    return apart + _distance(row.answer, other.answer, allowed - apart, (row.answer_bag, other.answer_bag)) <= allowed


def _bag(tokens: list[str]) -> frozenset:
    """The words with their repeats told apart ("de" twice: ("de", 0), ("de", 1)): a multiset as a set."""
    seen: dict[str, int] = {}
    bag = []
    for word in tokens:
        seen[word] = seen.get(word, -1) + 1
        bag.append((word, seen[word]))
    return frozenset(bag)


def _row(record: dict) -> _Row:
    prompt, answer = words(prompt_text(record)), words(answer_text(record) + " " + record.get("rejected", ""))
    return _Row(prompt, answer, _bag(prompt), _bag(answer))


def pairs(records: list[dict], others: list[dict] | None = None) -> list[tuple[int, int]]:
    """Near-duplicate pairs: (i, j) with i < j within `records`, or (i in records, j in others)."""
    rows = [_row(r) for r in records]
    other_rows = rows if others is None else [_row(r) for r in others]
    signatures = [_signature(row.prompt + row.answer) for row in rows]
    other_signatures = signatures if others is None else [_signature(row.prompt + row.answer) for row in other_rows]
    lsh = MinHashLSH(threshold=CANDIDATES, num_perm=PERMUTATIONS)
    for j, signature in enumerate(other_signatures):
        lsh.insert(j, signature)
    found = []
    for i, row in enumerate(rows):
        for j in lsh.query(signatures[i]):
            if others is None and j <= i:
                continue
            if _near(row, other_rows[j]):
                found.append((i, j))
    return sorted(found)
