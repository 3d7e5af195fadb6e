"""The OpenAI API's request bodies (the fields afina serves; any other field is refused by name, never ignored)
and the shapes of its responses: completions, chat completions, their stream chunks and log-probabilities."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from afina.serve.engine import Token


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TextPart(Strict):
    type: Literal["text"]
    text: str


class Message(Strict):
    role: Literal["system", "developer", "user", "assistant"]
    content: str | list[TextPart]
    name: str | None = None

    def text(self) -> str:
        return self.content if isinstance(self.content, str) else "".join(p.text for p in self.content)


class StreamOptions(Strict):
    include_usage: bool = False


class ResponseFormat(Strict):
    type: Literal["text", "json_object", "json_schema"]
    json_schema: dict | None = None


class Sampled(Strict):
    """What both endpoints share."""

    model: str = Field(min_length=1)
    temperature: float = Field(1.0, ge=0, le=2)
    top_p: float = Field(1.0, gt=0, le=1)
    n: int = Field(1, ge=1)
    stop: (
        Annotated[str, Field(min_length=1)]
        | Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1, max_length=4)]
        | None
    ) = None
    seed: int | None = Field(None, ge=-(2**63), lt=2**63)
    stream: bool = False
    stream_options: StreamOptions | None = None
    user: str | None = Field(None, max_length=256)
    presence_penalty: float = Field(0.0, ge=0, le=0, description="Not served: only 0.")
    frequency_penalty: float = Field(0.0, ge=0, le=0, description="Not served: only 0.")

    @property
    def stops(self) -> tuple[str, ...]:
        return (self.stop,) if isinstance(self.stop, str) else tuple(self.stop or ())


class ChatRequest(Sampled):
    messages: list[Message] = Field(min_length=1)
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    logprobs: bool = False
    top_logprobs: int | None = Field(None, ge=0, le=20)
    response_format: ResponseFormat | None = None

    @property
    def token_limit(self) -> int | None:
        return self.max_completion_tokens or self.max_tokens


class CompletionRequest(Sampled):
    prompt: Annotated[str, Field(min_length=1)] | Annotated[list[str], Field(min_length=1)]
    max_tokens: int | None = Field(None, ge=0, description="Default 16 (or the server's limit, if lower).")
    logprobs: int | None = Field(None, ge=0, le=5)
    echo: bool = False
    best_of: int | None = Field(None, ge=1)

    @property
    def prompts(self) -> list[str]:
        return [self.prompt] if isinstance(self.prompt, str) else self.prompt

    @property
    def token_limit(self) -> int | None:
        return self.max_tokens


class FeedbackRequest(Strict):
    """Feedback on the `choice`-th answer of a chat completion: exactly one of a rating, a correction (the
    answer it should have been), or another answer to the same prompt that this one beat."""

    completion_id: str = Field(min_length=1, max_length=64)
    choice: int = Field(0, ge=0)
    rating: Literal["up", "down"] | None = None
    correction: str | None = Field(None, min_length=1, max_length=20_000)
    rejected_completion_id: str | None = Field(None, min_length=1, max_length=64)
    rejected_choice: int = Field(0, ge=0)

    @model_validator(mode="after")
    def _one_kind(self):
        given = [f for f in ("rating", "correction", "rejected_completion_id") if getattr(self, f) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of rating, correction, rejected_completion_id")
        return self

    @property
    def kind(self) -> str:
        if self.rating is not None:
            return "rating"
        return "correction" if self.correction is not None else "preference"


def error_body(message: str, type_: str = "invalid_request_error", param: str | None = None, code=None) -> dict:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def usage(prompt_tokens: int, completion_tokens: int) -> dict:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def _entry(token: Token) -> dict:
    return {"token": token.text, "logprob": token.logprob, "bytes": list(token.text.encode())}


def chat_logprobs(tokens: list[Token]) -> dict:
    return {
        "content": [{**_entry(t), "top_logprobs": [_entry(Token(text, lp, [])) for text, lp in t.top]} for t in tokens]
    }


def completion_logprobs(tokens: list[Token], offset: int = 0) -> dict:
    offsets, at = [], offset
    for t in tokens:
        offsets.append(at)
        at += len(t.text)
    return {
        "tokens": [t.text for t in tokens],
        "token_logprobs": [t.logprob for t in tokens],
        "top_logprobs": [None if t.logprob is None else dict(t.top) for t in tokens],
        "text_offset": offsets,
    }
