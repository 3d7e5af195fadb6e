"""The canonical record types every stage speaks: plain text, prompt/completion, chat messages,
text + label, prompt/chosen/rejected. Reading a file into validated records (`read_records`), the
renderings the objectives train on (`as_conversation`, `as_pair`), and the canaries planted to
measure memorization.
"""

from __future__ import annotations

from afina.records.load import read_rows, read_table
from afina.records.schema import KINDS, Schema, as_conversation, as_pair, pairs_from_ratings, prompt_key, to_records

__all__ = [
    "KINDS",
    "Schema",
    "as_conversation",
    "as_pair",
    "pairs_from_ratings",
    "prompt_key",
    "read_records",
    "read_rows",
    "read_table",
    "to_records",
]


def read_records(
    path: str, columns: dict[str, str] | None = None, fmt: str = "auto", labels: list[str] | None = None
) -> tuple[Schema, list[dict]]:
    """Any data file afina reads, every row validated into a canonical record: (schema, records)."""
    return to_records(read_rows(path, fmt), columns or {}, path, labels)
