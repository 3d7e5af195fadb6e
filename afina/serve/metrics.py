"""The server's Prometheus metrics (prometheus_client, one registry per app): requests, errors, latency and time
to first token, tokens, and each engine's queue, per model id."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class Metrics:
    def __init__(self, catalog):
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("afina_requests", "Requests answered, by route, model and status code.",
                                ["route", "model", "status"], registry=r)  # fmt: skip
        self.latency = Histogram("afina_request_latency_seconds", "Time from request to the last byte.",
                                 ["route", "model"], buckets=LATENCY_BUCKETS, registry=r)  # fmt: skip
        self.first_token = Histogram("afina_time_to_first_token_seconds", "Time from request to the first token.",
                                     ["model"], buckets=LATENCY_BUCKETS, registry=r)  # fmt: skip
        self.prompt_tokens = Counter("afina_prompt_tokens", "Prompt tokens read.", ["model"], registry=r)
        self.generated_tokens = Counter("afina_generated_tokens", "Tokens generated.", ["model"], registry=r)
        self.feedback = Counter("afina_feedback", "Feedback received, by kind.", ["model", "kind"], registry=r)
        queue = Gauge("afina_queue_depth", "Requests waiting for a place in the batch.", ["model"], registry=r)
        running = Gauge("afina_running", "Answers being generated.", ["model"], registry=r)
        for served in catalog.models.values():  # an engine's numbers, under each id it serves (looked up each
            # time: a promotion may move an id to another engine)
            queue.labels(served.id).set_function(lambda i=served.id: catalog.models[i].engine.queue_depth)
            running.labels(served.id).set_function(lambda i=served.id: catalog.models[i].engine.running)

    def render(self) -> bytes:
        return generate_latest(self.registry)
