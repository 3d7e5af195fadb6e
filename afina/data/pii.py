"""Personal data in the user's rows, handled before anything is deduplicated, split or trained (`data.pii`):
reported (counts per type and field), masked (typed placeholders, the same one for a value everywhere in the
data, so a conversation stays readable), or the rows holding any dropped, each listed with its types. The
shop's own public contacts go in `data.pii_allow`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from afina.records.pii import Masker

EXAMPLES = 5  # masked examples shown in the data report


def text_fields(record: dict) -> Iterator[tuple[str, str]]:
    """(field, text) for each text a record holds; a chat's messages by index and role."""
    for name, value in record.items():
        if name == "messages":
            for i, message in enumerate(value):
                yield f"messages[{i}].{message['role']}", message["content"]
        elif isinstance(value, str) and name != "label":
            yield name, value


def _set_field(record: dict, name: str, text: str) -> dict:
    if name.startswith("messages["):
        index = int(name[len("messages[") : name.index("]")])
        messages = [dict(m) for m in record["messages"]]
        messages[index]["content"] = text
        return {**record, "messages": messages}
    return {**record, name: text}


def _column(name: str) -> str:
    return "messages" if name.startswith("messages[") else name


@dataclass
class Found:
    """What the PII scan of a dataset's files found: one entry per span (file, row, field, type)."""

    findings: list[dict] = field(default_factory=list)
    rows: int = 0  # rows holding any
    examples: list[dict] = field(default_factory=list)  # masked, as the data report shows them


def learn(records: list[dict], masker: Masker) -> None:
    """Give every value in the records its placeholder, in the order they are met."""
    for record in records:
        for _, text in text_fields(record):
            masker.learn(text)


def handle_pii(records: list[dict], mode: str, masker: Masker, file: str, found: Found) -> tuple[list, list]:
    """(records after `mode`, the rows dropped with their reasons); what was seen is added to `found`.
    `masker` is shared by a dataset's files, and has `learn`t them all before masking: one value gets one
    placeholder in all of them, also where it is written without anything that marks it."""
    kept, dropped = [], []
    for record in records:
        fields = [(name, text, masker.spans(text)) for name, text in text_fields(record)]
        spans = [(name, span) for name, _, found_here in fields for span in found_here]
        found.rows += bool(spans)
        found.findings += [
            {"file": file, "row": record["source_row"], "field": name, "type": span["type"]} for name, span in spans
        ]
        if spans and mode == "drop":
            types = ", ".join(sorted({span["type"] for _, span in spans}))
            dropped.append({"row": record["source_row"], "reason": f"personal data ({types})", "file": file})
            continue
        if mode == "mask":  # every field: a value found elsewhere is masked where nothing marks it
            for name, text, found_here in fields:
                masked = masker.mask(text, found_here)
                if masked != text:
                    record = _set_field(record, name, masked)
            if spans and len(found.examples) < EXAMPLES:
                name = spans[0][0]
                example = dict(text_fields(record))[name]
                found.examples.append({"file": file, "row": record["source_row"], "field": name, "masked": example})
        kept.append(record)
    return kept, dropped


def pii_report(mode: str, allow: list[str], found: Found, left: int) -> dict:
    """The data report's `pii` entry: counts per field and type, and `left`: how many are in the prepared data
    (those of rows taken out after they were found, as duplicates or quarantined, are not)."""
    per_column: dict[str, dict[str, int]] = {}
    for finding in found.findings:
        counts = per_column.setdefault(_column(finding["field"]), {})
        counts[finding["type"]] = counts.get(finding["type"], 0) + 1
    return {
        "mode": mode,
        "allowed": list(allow),
        "rows_with_pii": found.rows,
        "found": len(found.findings),
        "left": left,  # still in the prepared data (data.checks.max_pii)
        "per_column": {column: dict(sorted(counts.items())) for column, counts in sorted(per_column.items())},
        "examples": found.examples,
    }
