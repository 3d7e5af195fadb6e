"""The HTTP API: OpenAI's /v1/models, /v1/chat/completions and /v1/completions (streamed by server-sent
events or whole), /v1/feedback on the answers, a chat page at /, Prometheus metrics, and a health check,
over a Catalog's engines.

Every route but /health needs an API key; bodies are validated (422 naming the field), prompts that do not
fit the context are refused (400), a full queue answers 429 with Retry-After, a client that goes away stops
its generation, and each request is logged with personal data redacted.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import hashlib
import hmac
import json
import sys
import threading
import time
import uuid
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse

from afina.records.pii import redact
from afina.serve.catalog import Catalog, Served
from afina.serve.engine import Busy, Event, Sampling, Sequence, Token
from afina.serve.metrics import Metrics
from afina.serve.protocol import (
    ChatRequest,
    CompletionRequest,
    FeedbackRequest,
    chat_logprobs,
    completion_logprobs,
    error_body,
    usage,
)

OPEN_PATHS = ("/health", "/")  # the page is static: what it shows comes through keyed API calls
PAGE = Path(__file__).with_name("page.html")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclasses.dataclass
class Settings:
    """The server's limits and keys (`afina serve`'s options)."""

    key_hashes: frozenset[str] = frozenset()  # sha256 of each key given at start (the registry's are added)
    open: bool = False  # no key needed at all (--no-api-key); otherwise, with no key left, nothing is accepted
    max_tokens: int = 1024  # the most tokens one answer may ask for
    max_n: int = 8  # the most answers one request may ask for
    max_body_bytes: int = 1 << 20
    request_log: Path | None = None
    redact_log: bool = True
    retry_after_s: int = 1
    key_refresh_s: float = 5.0  # how often the registry's named keys are read again (a revoked one stops)
    promotion_refresh_s: float = 5.0  # how often NAME@STAGE ids look for a new promotion (or a rollback)


class ApiError(Exception):
    def __init__(self, status: int, message: str, param: str | None = None, code=None, type_=None, headers=None):
        super().__init__(message)
        self.status, self.message, self.param, self.code = status, message, param, code
        self.type = type_ or ("invalid_request_error" if status < 500 else "server_error")
        self.headers = headers or {}

    def response(self) -> JSONResponse:
        body = error_body(self.message, self.type, self.param, self.code)
        return JSONResponse(body, status_code=self.status, headers=self.headers)


class Keys:
    """The keys a server takes: those it was started with, and the registry's named keys (`afina keys add`),
    read again every `ttl` seconds so a revoked key stops working without a restart. Only hashes are held."""

    def __init__(self, static: frozenset[str], registry=None, ttl: float = 5.0, open_: bool = False):
        self.static, self.registry, self.ttl, self.open = static, registry, ttl, open_
        self._named: frozenset[str] = frozenset()
        self._read_at = -ttl

    def hashes(self) -> frozenset[str]:
        if self.registry is not None and time.monotonic() - self._read_at >= self.ttl:
            self._named = frozenset(k.hash for k in self.registry.api_keys() if not k.revoked)
            self._read_at = time.monotonic()
        return self.static | self._named

    def accepts(self, key: str) -> bool:
        """Whether the key is one of them (any key, for a server started open); with none left, none is."""
        return self.open or any(hmac.compare_digest(hash_key(key), h) for h in self.hashes())


class Guard:
    """ASGI middleware that runs before any routing or parsing: the API key, then the body's size (read whole
    here, bounded, and replayed to the app; later reads pass through, so a disconnect is still seen)."""

    def __init__(self, app, settings: Settings, keys: Keys):
        self.app, self.settings, self.keys = app, settings, keys

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        given = headers.get(b"authorization", b"").decode("latin-1")
        if not self.keys.accepts(given[7:] if given.lower().startswith("bearer ") else ""):
            error = ApiError(401, "a valid API key is needed (Authorization: Bearer KEY)", code="invalid_api_key")
            error.headers["WWW-Authenticate"] = "Bearer"
            return await error.response()(scope, receive, send)
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.settings.max_body_bytes:
                error = ApiError(413, f"the body is larger than {self.settings.max_body_bytes} bytes")
                return await error.response()(scope, receive, send)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)


class RequestLog:
    """One JSON line per generation request, PII redacted unless told otherwise; appended and flushed per line."""

    def __init__(self, path: Path | None, redact_pii: bool):
        self.path, self.redact = path, redact_pii
        self.lock = threading.Lock()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, **record) -> None:
        if self.path is None:
            return
        if self.redact:
            record["prompt"] = redact(record["prompt"])
            record["answers"] = [redact(a) for a in record["answers"]]
        line = json.dumps(record, ensure_ascii=False)
        with self.lock, open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")


class Recent:
    """The last chat answers given (their prompt and each choice), kept in memory so feedback can name them
    by completion id; only the event loop's thread touches it."""

    def __init__(self, size: int = 10_000):
        self.size = size
        self.items: collections.OrderedDict[str, dict] = collections.OrderedDict()

    def put(self, completion_id: str, model: str, messages: list[dict], answers: list[str]) -> None:
        self.items[completion_id] = {"model": model, "messages": messages, "answers": answers}
        while len(self.items) > self.size:
            self.items.popitem(last=False)

    def get(self, completion_id: str, choice: int, param: str) -> dict:
        item = self.items.get(completion_id)
        if item is None:
            raise ApiError(404, f"no recent chat completion '{completion_id}' on this server", param, "not_found")
        if choice >= len(item["answers"]):
            raise ApiError(400, f"{completion_id} has {len(item['answers'])} answers, not {choice + 1}", param)
        return {"model": item["model"], "messages": item["messages"], "answer": item["answers"][choice]}


@dataclasses.dataclass
class Choice:
    text: str = ""
    tokens: list[Token] = dataclasses.field(default_factory=list)
    prompt_tokens: list[Token] | None = None
    finish_reason: str | None = None


class Job:
    """The answers of one request: its rows in an engine, and the queue their events arrive on (put there from
    the engine's thread)."""

    def __init__(self, served: Served, prompts: list[list[int]], sampling: Sampling, n: int):
        self.served = served
        self.queue: asyncio.Queue = asyncio.Queue()
        loop = asyncio.get_running_loop()
        self.sequences = []
        self.prompt_tokens = sum(len(p) for p in prompts) * n
        for p, prompt in enumerate(prompts):
            for j in range(n):
                index = p * n + j
                seed = None if sampling.seed is None else (sampling.seed + index) % 2**64
                row = dataclasses.replace(sampling, seed=seed)
                emit = lambda event, i=index: loop.call_soon_threadsafe(self.queue.put_nowait, (i, event))  # noqa: E731
                self.sequences.append(Sequence(prompt, row, emit, adapter=served.adapter))
        self.choices = [Choice() for _ in self.sequences]
        self.open = len(self.sequences)
        self.started = time.monotonic()
        self.first_token_at: float | None = None

    def submit(self) -> None:
        self.served.engine.submit(*self.sequences)

    def cancel(self) -> None:
        for sequence in self.sequences:
            sequence.cancel()

    async def next(self) -> tuple[int, Event]:
        index, event = await self.queue.get()
        if self.first_token_at is None and (event.text or event.tokens):
            self.first_token_at = time.monotonic()
        choice = self.choices[index]
        choice.text += event.text
        choice.tokens += event.tokens
        if event.prompt_tokens is not None:
            choice.prompt_tokens = event.prompt_tokens
        if event.finish_reason is not None:
            choice.finish_reason = event.finish_reason
            self.open -= 1
            if event.finish_reason == "error":
                raise ApiError(500, f"generation failed: {event.error}")
        return index, event

    @property
    def completion_tokens(self) -> int:
        return sum(len(s.generated) for s in self.sequences)


def create_app(catalog: Catalog, settings: Settings | None = None, registry=None) -> FastAPI:
    """The server's ASGI app over a catalog's models; feedback goes to `registry` (none kept without one)."""
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app):  # NAME@STAGE ids follow the registry's pointer while the server runs
        async def follow():
            while True:
                await asyncio.sleep(settings.promotion_refresh_s)
                try:
                    moved = await asyncio.to_thread(catalog.refresh)
                except Exception as exc:  # a promoted folder gone, say: keep serving what loads, say why
                    print(f"afina serve: a promotion could not be followed: {exc}", file=sys.stderr)
                    continue
                for id_ in moved:
                    print(f"afina serve: {id_} now serves {catalog.models[id_].path}", file=sys.stderr)

        task = asyncio.create_task(follow()) if catalog.tracked and registry is not None else None
        yield
        if task is not None:
            task.cancel()

    app = FastAPI(title="afina serve", version="1", docs_url=None, redoc_url=None, lifespan=lifespan)
    recent = app.state.recent = Recent()
    keys = Keys(settings.key_hashes, registry, settings.key_refresh_s, settings.open)
    app.add_middleware(Guard, settings=settings, keys=keys)
    metrics = Metrics(catalog)
    log = RequestLog(settings.request_log, settings.redact_log)
    app.state.catalog, app.state.settings, app.state.metrics = catalog, settings, metrics

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return exc.response()

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        # Of a union's errors, the branch the value was meant for is the one that is not a type mismatch.
        first = min(errors, key=lambda err: err["type"].endswith("_type"))
        where = ".".join(str(p) for p in first["loc"] if p != "body" and not _union_tag(p))
        message = f"{where or 'body'}: {first['msg']}"
        more = len(errors) - 1
        return JSONResponse(error_body(message + (f" (and {more} more)" if more else ""), param=where), 422)

    @app.get("/health")
    async def health():
        return {"status": "ok"}

    @app.get("/metrics")
    async def prometheus():
        return Response(metrics.render(), media_type="text/plain; version=0.0.4")

    @app.get("/v1/models")
    async def models():
        return {"object": "list", "data": [_model_card(m) for m in catalog.models.values()]}

    @app.get("/v1/models/{model_id:path}")
    async def model(model_id: str):
        return _model_card(_served(catalog, model_id))

    @app.post("/v1/chat/completions")
    async def chat(body: ChatRequest, request: Request):
        served = _served(catalog, body.model)
        if body.response_format is not None and body.response_format.type != "text":
            raise ApiError(400, "response_format: only 'text' is served", param="response_format")
        messages = [{"role": "system" if m.role == "developer" else m.role, "content": m.text()} for m in body.messages]
        try:
            text = served.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        except Exception as exc:  # the model's template refuses these messages (roles must alternate, say)
            raise ApiError(400, f"messages: the model's chat template refused them: {exc}", "messages") from None
        prompt = served.tokenizer(text, add_special_tokens=False)["input_ids"]
        logprobs = (body.top_logprobs or 0) if body.logprobs else None
        sampling = _sampling(body, served, [prompt], settings, "messages", logprobs=logprobs)
        return await _answer(request, "chat", served, body, [prompt], sampling, metrics, log, messages)

    @app.post("/v1/completions")
    async def completions(body: CompletionRequest, request: Request):
        served = _served(catalog, body.model)
        if body.best_of not in (None, body.n):
            raise ApiError(400, "best_of: only best_of equal to n is served", param="best_of")
        if body.echo and body.stream:
            raise ApiError(400, "echo is served without streaming only", param="echo")
        prompts = [served.tokenizer(p)["input_ids"] for p in body.prompts]
        sampling = _sampling(
            body, served, prompts, settings, "prompt", logprobs=body.logprobs, echo=body.echo, default_tokens=16
        )
        return await _answer(request, "completion", served, body, prompts, sampling, metrics, log, body.prompts[0])

    async def feedback(body: FeedbackRequest):
        given = recent.get(body.completion_id, body.choice, "completion_id")
        fields = dict(completion_id=body.completion_id, model=given["model"], prompt=given["messages"],
                      answer=given["answer"], kind=body.kind)  # fmt: skip
        if body.rating is not None:
            fields["rating"] = 1 if body.rating == "up" else -1
        elif body.correction is not None:
            fields["correction"] = body.correction
        else:
            other = recent.get(body.rejected_completion_id, body.rejected_choice, "rejected_completion_id")
            if other["messages"] != given["messages"]:
                raise ApiError(400, "the two answers compared answer different prompts", "rejected_completion_id")
            fields |= dict(rejected_completion_id=body.rejected_completion_id, rejected_model=other["model"],
                           rejected_answer=other["answer"])  # fmt: skip
        feedback_id = await asyncio.to_thread(registry.add_feedback, **fields)
        metrics.feedback.labels(given["model"], body.kind).inc()
        return {"id": feedback_id, "object": "feedback", "kind": body.kind}

    if registry is not None:  # a server without a registry keeps no feedback, and has no route for it
        app.post("/v1/feedback")(feedback)

    @app.get("/", response_class=HTMLResponse)
    async def page():
        return PAGE.read_text(encoding="utf-8")

    def openapi() -> dict:  # the document names the served ids and this server's limits: clients (and fuzzers) see them
        if app.openapi_schema is None:
            document = FastAPI.openapi(app)
            for name in ("ChatRequest", "CompletionRequest"):
                fields = document["components"]["schemas"][name]["properties"]
                fields["model"]["enum"] = sorted(catalog.models)
                fields["n"]["maximum"] = settings.max_n
                for limit in ("max_tokens", "max_completion_tokens"):
                    for option in fields.get(limit, {}).get("anyOf", [fields.get(limit, {})]):
                        if option.get("type") == "integer":
                            option["maximum"] = settings.max_tokens
        return app.openapi_schema

    app.openapi = openapi
    return app


def _union_tag(part) -> bool:
    """Whether a part of pydantic's error location names a union's branch (`list[str]`, `constrained-str`)
    rather than a field."""
    return isinstance(part, str) and ("[" in part or "-" in part or part in ("str", "int", "float", "bool", "none"))


def _model_card(served: Served) -> dict:
    card = {"id": served.id, "object": "model", "created": served.created, "owned_by": "afina"}
    card |= {"kind": served.kind, "root": served.path, "parent": served.parent, "max_model_len": served.context}
    return card


def _served(catalog: Catalog, model_id: str) -> Served:
    if model_id not in catalog.models:
        raise ApiError(
            404, f"the model '{model_id}' is not served here; GET /v1/models lists those that are", "model",
            code="model_not_found",
        )  # fmt: skip
    return catalog.models[model_id]


def _sampling(body, served: Served, prompts, settings, prompt_param, logprobs=None, echo=False, default_tokens=None):
    """The rows' settings, or a 400 naming what passes this server's limits or the model's context; without
    max_tokens, an answer may take `default_tokens` (OpenAI's completions: 16), else what the context leaves."""
    if body.n > settings.max_n:
        raise ApiError(400, f"n: at most {settings.max_n} answers per request", param="n")
    limit = body.token_limit
    if limit is not None and limit > settings.max_tokens:
        raise ApiError(400, f"max_tokens: at most {settings.max_tokens} on this server", param="max_tokens")
    if not all(prompts):
        raise ApiError(400, f"{prompt_param}: a prompt with no tokens", param=prompt_param)
    longest = max(len(p) for p in prompts)
    room = served.context - longest
    if room < (limit if limit is not None else 1) or room < 0:
        raise ApiError(
            400,
            f"this model's context is {served.context} tokens; the {prompt_param} take {longest} and "
            f"{limit if limit is not None else 1} more were asked for",
            param=prompt_param,
            code="context_length_exceeded",
        )
    max_tokens = limit if limit is not None else min(settings.max_tokens, room, default_tokens or room)
    return Sampling(max_tokens, body.temperature, body.top_p, body.stops, body.seed, logprobs, echo)


async def _answer(request, kind, served, body, prompts, sampling, metrics, log, prompt):
    """Generate a request's answers, whole or streamed; `prompt` is the chat's messages or the first raw prompt
    (what the request log and, for chats, the feedback keep)."""
    prompt_text = prompt[-1]["content"] if kind == "chat" else prompt
    job = Job(served, prompts, sampling, body.n)
    created = int(time.time())
    response_id = ("chatcmpl-" if kind == "chat" else "cmpl-") + uuid.uuid4().hex
    try:
        job.submit()
    except Busy as exc:
        metrics.requests.labels(kind, served.id, "429").inc()
        raise ApiError(
            429, f"the server is busy ({exc}); retry later", code="rate_limit_exceeded", type_="rate_limit_error",
            headers={"Retry-After": str(request.app.state.settings.retry_after_s)},
        ) from None  # fmt: skip

    def finish(status: int) -> None:
        elapsed = time.monotonic() - job.started
        metrics.requests.labels(kind, served.id, str(status)).inc()
        metrics.latency.labels(kind, served.id).observe(elapsed)
        if job.first_token_at is not None:
            metrics.first_token.labels(served.id).observe(job.first_token_at - job.started)
        metrics.prompt_tokens.labels(served.id).inc(job.prompt_tokens)
        metrics.generated_tokens.labels(served.id).inc(job.completion_tokens)
        log.write(
            time=created, id=response_id, route=kind, model=served.id, status=status, prompt=prompt_text,
            answers=[c.text for c in job.choices], prompt_tokens=job.prompt_tokens,
            completion_tokens=job.completion_tokens, latency_s=round(elapsed, 4),
            first_token_s=None if job.first_token_at is None else round(job.first_token_at - job.started, 4),
        )  # fmt: skip
        if status == 200 and kind == "chat":
            request.app.state.recent.put(response_id, served.id, prompt, [c.text for c in job.choices])

    if body.stream:
        return StreamingResponse(
            _stream(job, kind, response_id, created, served.id, body, finish),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache"},
        )

    async def watch() -> None:  # the client going away cancels its answers (a stream's generator sees it itself)
        while not await request.is_disconnected():
            await asyncio.sleep(0.1)
        job.cancel()

    watcher = asyncio.create_task(watch())
    try:
        while job.open:
            await job.next()
    except ApiError:
        finish(500)
        raise
    finally:
        watcher.cancel()
    if any(c.finish_reason == "cancelled" for c in job.choices):
        finish(499)  # nginx's "client closed request": nobody is left to read the answer
        return Response(status_code=499)
    finish(200)
    return _whole(job, kind, response_id, created, served.id, body, sampling)


def _whole(job: Job, kind, response_id, created, model_id, body, sampling) -> dict:
    choices = []
    for i, c in enumerate(job.choices):
        if kind == "chat":
            logprobs = chat_logprobs(c.tokens) if sampling.logprobs is not None else None
            message = {"role": "assistant", "content": c.text}
            choices.append({"index": i, "message": message, "logprobs": logprobs, "finish_reason": c.finish_reason})
            continue
        text, tokens, prompt = c.text, c.tokens, body.prompts[i // body.n]
        if sampling.echo:
            text, tokens = prompt + text, (c.prompt_tokens or []) + tokens
        logprobs = completion_logprobs(tokens) if sampling.logprobs is not None else None
        choices.append({"index": i, "text": text, "logprobs": logprobs, "finish_reason": c.finish_reason})
    return {
        "id": response_id,
        "object": "chat.completion" if kind == "chat" else "text_completion",
        "created": created,
        "model": model_id,
        "choices": choices,
        "usage": usage(job.prompt_tokens, job.completion_tokens),
    }


async def _stream(job: Job, kind, response_id, created, model_id, body, finish):
    """Server-sent events: a chunk per step and answer with what it added, the finish reason on an answer's
    last chunk, usage on the last chunk (or, with stream_options.include_usage, on a chunk of its own as
    OpenAI sends it), then [DONE]. The client going away cancels the generator, and with it the answers."""
    obj = "chat.completion.chunk" if kind == "chat" else "text_completion"
    with_usage = body.stream_options is not None and body.stream_options.include_usage
    status = 200

    def chunk(choices, **extra) -> str:
        data = {"id": response_id, "object": obj, "created": created, "model": model_id, "choices": choices}
        return f"data: {json.dumps(data | extra, ensure_ascii=False)}\n\n"

    try:
        if kind == "chat":
            yield chunk([{"index": i, "delta": {"role": "assistant", "content": ""}, "logprobs": None,
                          "finish_reason": None} for i in range(len(job.sequences))])  # fmt: skip
        while job.open:
            try:
                index, event = await job.next()
            except ApiError as exc:
                status = 500
                yield f"data: {json.dumps(error_body(exc.message, exc.type))}\n\n"
                return
            if not (event.text or event.tokens or event.finish_reason):
                continue
            reason = event.finish_reason
            extra = {}
            if job.open == 0 and not with_usage:
                extra["usage"] = usage(job.prompt_tokens, job.completion_tokens)
            if kind == "chat":
                logprobs = chat_logprobs(event.tokens) if event.tokens else None
                choice = {"index": index, "delta": {"content": event.text}, "logprobs": logprobs}
            else:
                logprobs = completion_logprobs(event.tokens) if event.tokens else None
                choice = {"index": index, "text": event.text, "logprobs": logprobs}
            yield chunk([choice | {"finish_reason": reason}], **extra)
        if with_usage:
            yield chunk([], usage=usage(job.prompt_tokens, job.completion_tokens))
        finish(200)  # before [DONE]: a client may give feedback on the answer as soon as it has it
        status = None
        yield "data: [DONE]\n\n"
    except (asyncio.CancelledError, GeneratorExit):
        status = 499 if status is not None else None
        raise
    finally:
        job.cancel()  # a no-op for answers that finished
        if status is not None:
            finish(status)
