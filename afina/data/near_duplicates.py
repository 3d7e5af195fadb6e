"""Rows that are the same example written a little differently: casing, accents, punctuation, a word changed,
added or left out, in the prompt and in the answer alike. MinHash over character 3-grams (datasketch's LSH)
proposes candidates among many rows; a pair is a near-duplicate when, words normalised, its prompts and its
answers each differ by at most one word (one in ten for longer texts). Two prompts a word apart with
different answers ("la tienda de Bilbao" against "de Valencia") are different questions, not duplicates.

Across splits a near-duplicate is a leak (the evaluation would be scored on what was trained); within the
training split it is reported, and with `data.near_duplicates: collapse` kept once."""

from __future__ import annotations

import re
import unicodedata

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
    for i in range(max(1, len(joined) - 2)):
        signature.update(joined[i : i + 3].encode())
    return signature


def _within_a_word(a: list[str], b: list[str]) -> bool:
    """Word-level edit distance at most max(1, a tenth of the longer)."""
    allowed = max(1, max(len(a), len(b)) // 10)
    if abs(len(a) - len(b)) > allowed:
        return False
    previous = list(range(len(b) + 1))
    for i, word in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
        if min(current) > allowed:
            return False
        previous = current
    return previous[-1] <= allowed


def pairs(records: list[dict], others: list[dict] | None = None) -> list[tuple[int, int]]:
    """Near-duplicate pairs: (i, j) with i < j within `records`, or (i in records, j in others)."""
    rows = [(words(prompt_text(r)), words(answer_text(r))) for r in records]
    other_rows = rows if others is None else [(words(prompt_text(r)), words(answer_text(r))) for r in others]
    lsh = MinHashLSH(threshold=CANDIDATES, num_perm=PERMUTATIONS)
    for j, (prompt, answer) in enumerate(other_rows):
        lsh.insert(j, _signature(prompt + answer))
    found = []
    for i, (prompt, answer) in enumerate(rows):
        for j in lsh.query(_signature(prompt + answer)):
            if others is None and j <= i:
                continue
            other_prompt, other_answer = other_rows[j]
            if _within_a_word(prompt, other_prompt) and _within_a_word(answer, other_answer):
                found.append((i, j))
    return sorted(found)
