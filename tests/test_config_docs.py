"""docs/config.md is what the config schema says: regenerate it with `make docs` when a field changes."""

from pathlib import Path

from afina.config import config_reference

DOCS = Path(__file__).resolve().parents[1] / "docs" / "config.md"


def test_config_reference_is_up_to_date():
    assert DOCS.read_text(encoding="utf-8") == config_reference(), "docs/config.md is stale: run `make docs`"


def test_config_reference_names_every_section_and_method():
    text = config_reference()
    for key in (
        "`data.path`",
        "`train.objective`",
        "`speed.padding_free`",
        "`gate.max_unsafe_rate`",
        "`evaluate.safety.judge.url`",
        "### `method.name: qlora`",
        "`method.quant_type`",
    ):
        assert key in text
