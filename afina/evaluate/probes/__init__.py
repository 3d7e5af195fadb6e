"""The probe sets shipped with afina (JSONL, Spanish and English) and the reader for them and users' own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from afina.errors import DataError

HERE = Path(__file__).parent


def read_probes(path: str | None, default: str, required: Callable[[dict], tuple[str, ...]]) -> list[dict]:
    """The probes in `path` (or the shipped file `default`); a line that is not JSON or lacks a field
    `required(probe)` names is an error naming the file, line and field."""
    file = Path(path) if path else HERE / default
    probes = []
    for line_no, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            probe = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"not valid JSON ({exc.msg})", file=str(file), row=line_no) from None
        for field in required(probe):
            if field not in probe:
                raise DataError("is missing", file=str(file), row=line_no, column=field)
        probe["_line"] = line_no
        probes.append(probe)
    return probes
