"""The chat page in a real headless Chromium: connect with the key, chat with streaming, rate and correct an
answer, compare two adapters side by side and choose one; each checked in the registry afterwards, and
`afina feedback export` writes records that `afina prepare` takes."""

from __future__ import annotations

import os
import shutil

import pytest

from afina.cli import main

from conftest import write_config
from serving import KEY, live


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.fixture(scope="module")
def page_server(models, tmp_path_factory):
    from afina.registry import Registry
    from afina.serve import Catalog, Settings, create_app, hash_key, resolve

    url = f"sqlite:///{tmp_path_factory.mktemp('feedback') / 'registry.db'}"
    registry = Registry(url)
    catalog = Catalog([resolve(f"a={models['a']}"), resolve(f"b={models['b']}")], max_batch=8)
    app = create_app(catalog, Settings(key_hashes=frozenset({hash_key(KEY)}), max_tokens=24), registry)
    with live(app) as base:
        yield base, registry, url
    catalog.close()


@pytest.mark.slow
def test_chat_rate_correct_and_compare_on_the_page(page_server, tmp_path):
    browser = _chromium()
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        browser = None
    if browser is None:
        if os.environ.get("AFINA_REQUIRE_BROWSER"):
            pytest.fail("AFINA_REQUIRE_BROWSER is set but Chromium or playwright is missing")
        pytest.skip("needs Chromium (apt install chromium) and playwright; CI installs both")
    base, registry, url = page_server
    streamed = []
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=browser, args=["--no-sandbox", "--disable-gpu"])
        page = chromium.new_page()
        page.on("response", lambda r: streamed.append(r.headers.get("content-type", "")) if "chat" in r.url else None)
        page.goto(base + "/")
        page.get_by_test_id("key").fill("wrong")
        page.get_by_test_id("connect").click()
        expect(page.get_by_test_id("status")).to_contain_text("refused (401)")
        page.get_by_test_id("key").fill(KEY)
        page.get_by_test_id("connect").click()
        expect(page.get_by_test_id("status")).to_contain_text("connected: 3 models")

        # Chat with one model, streamed; rate the answer, then correct it.
        page.get_by_test_id("model-a").select_option("a")
        page.get_by_test_id("prompt").fill("¿Cuánto cuesta la cafetera Brisa?")
        page.get_by_test_id("send").click()
        answer = page.get_by_test_id("answer").first
        expect(answer.get_by_test_id("rate-up")).to_be_visible()
        shown = answer.get_by_test_id("answer-text").inner_text()
        answer.get_by_test_id("rate-up").click()
        expect(answer.get_by_test_id("feedback-result")).to_have_text("saved")
        answer.get_by_test_id("correct").click()
        answer.get_by_test_id("correction").fill("La cafetera Brisa cuesta 89 euros.")
        answer.get_by_test_id("save-correction").click()
        expect(answer.get_by_test_id("feedback-result").nth(1)).to_have_text("saved")

        # Side by side: the same question to a and b; b's answer chosen.
        page.get_by_test_id("compare").check()
        page.get_by_test_id("model-a").select_option("a")
        page.get_by_test_id("model-b").select_option("b")
        page.get_by_test_id("prompt").fill("¿Hacéis envíos a Canarias?")
        page.get_by_test_id("send").click()
        pair = page.get_by_test_id("answer")
        expect(pair.nth(2).get_by_test_id("prefer-1")).to_be_visible()
        texts = [pair.nth(i).get_by_test_id("answer-text").inner_text() for i in (1, 2)]
        pair.nth(2).get_by_test_id("prefer-1").click()
        expect(pair.nth(2).get_by_test_id("feedback-result")).to_have_text("saved")
        chromium.close()

    assert "text/event-stream" in " ".join(streamed)  # the page streamed its answers
    rating, correction, choice = registry.feedback()
    question = [{"role": "user", "content": "¿Cuánto cuesta la cafetera Brisa?"}]
    assert (rating.kind, rating.model, rating.rating) == ("rating", "a", 1)
    assert (rating.prompt, rating.answer) == (question, shown)
    assert (correction.kind, correction.correction, correction.answer) == (
        "correction", "La cafetera Brisa cuesta 89 euros.", shown,
    )  # fmt: skip
    assert (choice.kind, choice.model, choice.rejected_model) == ("preference", "b", "a")
    assert (choice.answer, choice.rejected_answer) == (texts[1], texts[0])
    assert choice.prompt == [{"role": "user", "content": "¿Hacéis envíos a Canarias?"}]

    out = tmp_path / "exported"
    assert main(["feedback", "export", "--registry", url, "--out", str(out)]) == 0
    for name in ("sft.jsonl", "preferences.jsonl"):
        (tmp_path / name[:3]).mkdir()
        config = write_config(tmp_path / name[:3], data={"path": str(out / name), "columns": {}}, name=name[:3])
        assert main(["prepare", str(config)]) == 0, name
