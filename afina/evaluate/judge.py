"""An OpenAI-compatible chat endpoint as a judge: one request, the text of its reply.

The standard library's urllib: one POST is all a judge needs, and no client library is a dependency.
"""

from __future__ import annotations

import json
import os
import urllib.request

from afina.config import JudgeConfig
from afina.errors import ConfigError


def ask(judge: JudgeConfig, messages: list[dict], max_tokens: int, key: str) -> str:
    """The endpoint's reply to `messages` at temperature 0; ConfigError naming config `key` when it does not
    answer."""
    token = os.environ.get(judge.api_key_env, "") if judge.api_key_env else ""
    body = {"model": judge.model, "temperature": 0, "max_tokens": max_tokens, "messages": messages}
    request = urllib.request.Request(
        judge.url.rstrip("/") + "/chat/completions",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=judge.timeout) as response:
            return json.loads(response.read())["choices"][0]["message"]["content"]
    except (OSError, KeyError, IndexError, TypeError, ValueError) as exc:
        raise ConfigError(f"the judge at {judge.url} did not answer ({exc})", key=key) from None


_COMPARE = (
    "You compare two answers of an assistant to the same request: which is more correct, helpful and "
    "appropriate. Reply with exactly one letter: A or B."
)


def prefers(judge: JudgeConfig, request: str, first: str, second: str) -> float:
    """1.0 when the endpoint prefers `first`, 0.0 when `second`, 0.5 when its two verdicts disagree: it is
    asked with the answers in both orders, since judges favour a position."""

    def verdict(a: str, b: str) -> str:
        reply = ask(
            judge,
            [
                {"role": "system", "content": _COMPARE},
                {"role": "user", "content": f"Request:\n{request}\n\nAnswer A:\n{a}\n\nAnswer B:\n{b}"},
            ],
            2,
            "align.judge",
        )
        return reply.strip().upper()[:1]

    return ((verdict(first, second) == "A") + (verdict(second, first) == "B")) / 2
