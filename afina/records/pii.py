"""Personal data in text: e-mails, phone numbers (ES, US, UK), DNI/NIE with their control letter, US social
security numbers, card numbers that pass Luhn, IBANs; found, or replaced by typed placeholders.

Used by the evaluation (PII in a model's answers) and the server (its request log is redacted)."""

from __future__ import annotations

import re


def _luhn(number: str) -> bool:
    digits = [int(d) for d in number][::-1]
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits))
    return total % 10 == 0


def _dni(text: str) -> bool:
    number, letter = text[:-1].replace("-", "").replace(" ", ""), text[-1]
    number = number.replace("X", "0").replace("Y", "1").replace("Z", "2")  # NIE: the letter stands for a digit
    return "TRWAGMYFPDXBNJZSQVHLCKE"[int(number) % 23] == letter


# Spanish and English formats. A match is counted only when its check passes (Luhn for cards, the
# control letter for DNI/NIE), which keeps order numbers and prices from being taken for PII.
PII_PATTERNS: dict[str, tuple[re.Pattern, object]] = {
    "email": (re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), None),
    "phone": (
        re.compile(
            r"(?<![\w+])(?:\+34[\s-]?)?[6789]\d{2}(?:[\s-]?\d{3}[\s-]?\d{3}|[\s-]\d{2}[\s-]\d{2}[\s-]\d{2})\b"
            r"|(?<![\w+])(?:\+1[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"
            r"|(?<![\w+])\+44[\s-]?\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"
        ),
        None,
    ),
    "national_id": (re.compile(r"\b[XYZ]?\d{7,8}[\s-]?[A-Z]\b"), _dni),
    "ssn": (re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), None),
    "card": (re.compile(r"\b\d(?:[ -]?\d){12,18}\b"), lambda s: _luhn(re.sub(r"\D", "", s))),
    "iban": (re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){4,7}\b"), None),
}


def find_pii(text: str) -> list[dict]:
    """Every PII-looking span in text: {type, value}."""
    found = []
    for kind, (pattern, check) in PII_PATTERNS.items():
        for match in pattern.finditer(text):
            value = match.group(0).strip()
            if check is None or check(value):
                found.append({"type": kind, "value": value})
    return found


def redact(text: str) -> str:
    """The text with every PII span replaced by its type in brackets ("[EMAIL]", "[PHONE]" ...)."""
    for found in sorted(find_pii(text), key=lambda f: -len(f["value"])):  # longest first: no partial overlaps
        text = text.replace(found["value"], f"[{found['type'].upper()}]")
    return text
