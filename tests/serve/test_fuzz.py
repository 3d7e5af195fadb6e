"""Schemathesis over the server's own OpenAPI document: generated bodies, valid and not, never get a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode

from serving import KEY, live

AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture(scope="module")
def fuzzed(models, tmp_path_factory):
    from afina.registry import Registry
    from afina.serve import Catalog, Settings, create_app, hash_key, resolve

    catalog = Catalog([resolve(f"a={models['a']}")], max_batch=4, max_waiting=64)
    registry = Registry(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'registry.db'}")
    app = create_app(catalog, Settings(key_hashes=frozenset({hash_key(KEY)}), max_tokens=8, max_n=2), registry)
    with live(app) as url:
        yield schemathesis.openapi.from_url(url + "/openapi.json", headers=AUTH)
    catalog.close()


@pytest.mark.slow
def test_no_request_gets_a_server_error(fuzzed):
    """Every operation, with bodies that fit the document and bodies that do not (schemathesis' pytest plugin
    does not run under pytest 9, so each operation's strategy is driven by hypothesis here)."""
    operations = [result.ok() for result in fuzzed.get_all_operations()]
    assert {op.path for op in operations} >= {"/v1/chat/completions", "/v1/completions", "/v1/models", "/v1/feedback"}
    posts = {op.path for op in operations if op.method.upper() == "POST"}
    cases = [(op, mode) for op in operations for mode in GenerationMode if op.path in posts or mode == "positive"]
    for operation, mode in cases:  # a GET without parameters has no wrong input

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case):
            response = case.call(headers=AUTH)
            case.validate_response(response, checks=[not_a_server_error])

        call()
