"""Canonical record types, how they are recognised from a file's columns, and row validation.

Every source row becomes one canonical record: plain text, prompt/completion, chat messages,
text + label, or prompt/chosen/rejected. Instruction/input/output (Alpaca) and question/answer
columns map onto prompt/completion; ratings (prompt, response, score) become prompt/chosen/rejected
pairs (`pairs_from_ratings`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from afina.errors import DataError, DataErrors
from afina.records.load import Row

# kind -> the canonical fields it needs, in the order they are checked (most specific first).
KINDS: dict[str, tuple[str, ...]] = {
    "chat": ("messages",),
    "preference": ("prompt", "chosen", "rejected"),
    "rating": ("prompt", "completion", "score"),
    "alpaca": ("instruction", "output"),
    "prompt_completion": ("prompt", "completion"),
    "classification": ("text", "label"),
    "text": ("text",),
}
ALIASES = {
    "question": "prompt",
    "answer": "completion",
    "response": "completion",
    "conversations": "messages",
    "rating": "score",
}
NUMBERS = ("score", "margin")  # the fields that hold numbers, not text
# Fields a kind takes when the file has them: Alpaca's input, a preference's margin (how much more the
# chosen answer is preferred; TRL's reward model honours it).
OPTIONAL = {"alpaca": ("input",), "preference": ("margin",)}
ROLES = ("system", "user", "assistant")


@dataclass
class Schema:
    source_kind: str  # one of KINDS: how the file is laid out
    columns: dict[str, str]  # canonical field -> source column

    @property
    def kind(self) -> str:
        """The kind of the records produced: Alpaca rows become prompt/completion, ratings preference pairs."""
        return {"alpaca": "prompt_completion", "rating": "preference"}.get(self.source_kind, self.source_kind)


def infer_schema(columns: list[str], mapping: dict[str, str], file: str) -> Schema:
    """Find the record kind from the columns, after applying the user's explicit mapping."""
    for canonical, source in mapping.items():
        if source not in columns:
            raise DataError(
                f"data.columns maps '{canonical}' to '{source}', which is not a column; "
                f"the file has: {', '.join(columns)}",
                file=file,
                column=source,
            )
    available = {canonical: source for canonical, source in mapping.items()}
    for column in columns:
        canonical = ALIASES.get(column, column)
        if column not in available.values():
            available.setdefault(canonical, column)
    for kind, needed in KINDS.items():
        if all(field in available for field in needed):
            fields = needed + tuple(f for f in OPTIONAL.get(kind, ()) if f in available)
            return Schema(kind, {field: available[field] for field in fields})
    expected = "; ".join(f"{kind}: {', '.join(fields)}" for kind, fields in KINDS.items())
    raise DataError(
        f"cannot recognise the record type from the columns {', '.join(columns)}. Expected one of — "
        f"{expected} — or map yours with data.columns (e.g. {{prompt: pregunta, completion: respuesta}})",
        file=file,
    )


def _text(value, file: str, row: int, column: str, allow_empty: bool = False) -> str:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN from Parquet
        value = ""
    if not isinstance(value, (str, int, float, bool)):
        raise DataError(f"expected text, got {type(value).__name__}", file=file, row=row, column=column)
    text = str(value)
    if not text.strip() and not allow_empty:
        raise DataError("is empty", file=file, row=row, column=column)
    return text


def _number(value, file: str, row: int, column: str) -> float:
    """A finite number (a rating's score, a preference's margin), from a number or its text."""
    try:
        number = float(str(value).strip().replace(",", ".")) if isinstance(value, (str, int, float)) else None
    except ValueError:
        number = None
    if number is None or isinstance(value, bool) or number != number or abs(number) == float("inf"):
        raise DataError(f"expected a number, got {value!r}", file=file, row=row, column=column)
    return number


def _messages(value, file: str, row: int, column: str) -> list[dict]:
    if isinstance(value, str):  # chats stored as a JSON string in a CSV cell
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise DataError(f"expected a JSON list of messages: {exc.msg}", file=file, row=row, column=column) from None
    if not isinstance(value, list) or not value:
        raise DataError("expected a non-empty list of {role, content} messages", file=file, row=row, column=column)
    messages = []
    for i, message in enumerate(value):
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            raise DataError(f"message {i} needs a role among {', '.join(ROLES)}", file=file, row=row, column=column)
        content = _text(message.get("content"), file, row, f"{column}[{i}].content")
        messages.append({"role": message["role"], "content": content})
    if messages[-1]["role"] != "assistant":
        raise DataError(
            "the last message must be the assistant's (it is what the model learns to say)",
            file=file,
            row=row,
            column=column,
        )
    return messages


def to_record(schema: Schema, row: int, fields: dict, file: str, labels: list[str] | None) -> dict:
    """Validate one row and turn it into a canonical record; raises DataError naming row and column."""
    col = schema.columns
    for source in col.values():
        if source not in fields:  # a JSON row without the key
            raise DataError("is missing", file=file, row=row, column=source)
    if schema.kind == "chat":
        return {"messages": _messages(fields.get(col["messages"]), file, row, col["messages"])}
    if schema.source_kind == "alpaca":
        instruction = _text(fields.get(col["instruction"]), file, row, col["instruction"])
        extra = _text(fields.get(col["input"]), file, row, col["input"], allow_empty=True) if "input" in col else ""
        prompt = f"{instruction}\n\n{extra}" if extra.strip() else instruction
        return {"prompt": prompt, "completion": _text(fields.get(col["output"]), file, row, col["output"])}
    record = {
        field: _number(fields.get(source), file, row, source)
        if field in NUMBERS
        else _text(fields.get(source), file, row, source)
        for field, source in col.items()
    }
    if "rejected" in record and " ".join(record["chosen"].split()) == " ".join(record["rejected"].split()):
        raise DataError(
            "is the same answer as the chosen one: a preference needs two different answers",
            file=file,
            row=row,
            column=col["rejected"],
        )
    if "label" in record and labels is not None and record["label"] not in labels:
        raise DataError(
            f"label '{record['label']}' is not in the label set ({', '.join(labels)})",
            file=file,
            row=row,
            column=col["label"],
        )
    return record


def to_records(
    rows: list[Row], mapping: dict[str, str], file: str, labels: list[str] | None
) -> tuple[Schema, list[dict]]:
    """Validate every row; all problems are reported together, none is dropped."""
    columns = list(dict.fromkeys(key for _, fields in rows for key in fields))
    schema = infer_schema(columns, mapping, file)
    records, errors = [], []
    for row, fields in rows:
        try:
            records.append({**to_record(schema, row, fields, file, labels), "source_row": row})
        except DataError as exc:
            errors.append(exc)
    if errors:
        raise errors[0] if len(errors) == 1 else DataErrors(errors, file)
    return schema, records


def pairs_from_ratings(records: list[dict]) -> tuple[list[dict], list[dict]]:
    """Rated responses (prompt, completion, score) as preference pairs: every two responses to the same
    prompt with different scores, the better one chosen, the score difference as the margin. Returns
    (pairs, the rows that made no pair, each with why), so no rated row goes unaccounted for."""
    by_prompt: dict[str, list[dict]] = {}
    for record in records:
        by_prompt.setdefault(record["prompt"], []).append(record)
    pairs, unpaired = [], []
    for prompt, rated in by_prompt.items():
        paired = set()
        for i, a in enumerate(rated):
            for b in rated[i + 1 :]:
                if a["score"] == b["score"] or " ".join(a["completion"].split()) == " ".join(b["completion"].split()):
                    continue
                better, worse = (a, b) if a["score"] > b["score"] else (b, a)
                pairs.append(
                    {
                        "prompt": prompt,
                        "chosen": better["completion"],
                        "rejected": worse["completion"],
                        "margin": better["score"] - worse["score"],
                        "source_row": better["source_row"],
                        "source_rows": [better["source_row"], worse["source_row"]],
                    }
                )
                paired |= {a["source_row"], b["source_row"]}
        why = (
            "the only rated response to its prompt"
            if len(rated) == 1
            else "no other response to its prompt has another score and another answer"
        )
        unpaired += [{"row": r["source_row"], "reason": why} for r in rated if r["source_row"] not in paired]
    return pairs, unpaired


def prompt_key(record: dict) -> str:
    """What 'the same prompt' means for leakage: the input side, case and spacing folded."""
    if "messages" in record:
        text = "\n".join(m["content"] for m in record["messages"][:-1])
    else:
        text = record.get("prompt", record.get("text", ""))
    return " ".join(text.lower().split())


def as_conversation(record: dict, system_prompt: str | None = None) -> dict:
    """A record in TRL's conversational prompt/completion form (or language-modeling form for text).

    Classification rows become prompt=text, completion=label (a causal LM learns to say the label);
    preference rows are rendered with their chosen answer (what evaluation compares an answer with).
    """
    if "messages" in record:
        prompt, completion = record["messages"][:-1], record["messages"][-1:]
    elif "text" in record and "label" not in record:
        return {"text": record["text"]}
    else:
        user = record.get("prompt", record.get("text"))
        answer = record.get("completion", record.get("chosen", record.get("label")))
        prompt, completion = [{"role": "user", "content": user}], [{"role": "assistant", "content": answer}]
    if system_prompt and prompt[0]["role"] != "system":
        prompt = [{"role": "system", "content": system_prompt}, *prompt]
    return {"prompt": prompt, "completion": completion}


def as_pair(record: dict) -> tuple[str, str]:
    """A record as (input text, target text), for encoder-decoder models; a chat's earlier turns are joined."""
    conversation = as_conversation(record)
    if "text" in conversation:
        raise DataError("plain-text records have no target: seq2seq needs prompt/completion, chat or text+label data")
    return "\n".join(m["content"] for m in conversation["prompt"]), conversation["completion"][-1]["content"]
