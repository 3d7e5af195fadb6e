"""Shared fixtures: a temporary AFINA_HOME and a tiny base model pretrained once per session; the serve
tests' fixtures live in serving.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

pytest_plugins = ["serving"]  # the served models, a live server and its client (tests/serve)

ROOT = Path(__file__).resolve().parents[1]
FAQ = ROOT / "examples" / "data" / "faq_soporte.csv"

TINY_PRETRAIN = {
    "corpus_sentences": 1500,
    "vocab_size": 400,
    "hidden_size": 32,
    "num_layers": 2,
    "num_heads": 2,
    "intermediate_size": 64,
    "block_size": 64,
    "max_steps": 30,
    "batch_size": 8,
    "learning_rate": 3e-3,
    "bf16": False,
    "seed": 0,
}


@pytest.fixture(scope="session", autouse=True)
def afina_home(tmp_path_factory) -> Path:
    """Every test sees a private AFINA_HOME (registry, cached base models), never the user's."""
    home = tmp_path_factory.mktemp("afina_home")
    previous = os.environ.get("AFINA_HOME")
    os.environ["AFINA_HOME"] = str(home)
    os.environ["HF_HUB_OFFLINE"] = "1"
    yield home
    if previous is None:
        os.environ.pop("AFINA_HOME", None)
    else:
        os.environ["AFINA_HOME"] = previous


def tiny_config(tmp_path: Path, **sections) -> dict:
    """A config dict for a tiny run: the tiny base, a few steps, written under tmp_path."""
    config = {
        "name": "tiny",
        "seed": 0,
        "output_dir": str(tmp_path / "runs"),
        "data": {"path": str(FAQ), "columns": {"prompt": "pregunta", "completion": "respuesta"}},
        "model": {"base_model": "afina:tiny-test"},
        "pretrain": dict(TINY_PRETRAIN),
        "method": {"name": "lora", "r": 4, "alpha": 8},
        "train": {"max_steps": 12, "eval_steps": 6, "batch_size": 8, "learning_rate": 5e-3, "bf16": False},
        "evaluate": {"max_new_tokens": 8, "report_examples": 4},
    }
    for section, values in sections.items():
        if isinstance(values, dict) and isinstance(config.get(section), dict) and section != "method":
            config[section] = {**config[section], **values}
        else:
            config[section] = values
    return config


def write_config(tmp_path: Path, file: str = "config.yaml", **sections) -> Path:
    path = tmp_path / file
    path.write_text(yaml.safe_dump(tiny_config(tmp_path, **sections), allow_unicode=True))
    return path


@pytest.fixture(scope="session")
def tiny_base(afina_home) -> Path:
    """The tiny base model, pretrained once (a few seconds) and cached in AFINA_HOME."""
    from afina.config import Config
    from afina.models.pretrain import ensure_base

    config = Config.model_validate(tiny_config(afina_home))
    return Path(ensure_base(config.model, config.pretrain, quiet=True))


def tiny_llama(**config):
    """A seeded Llama of a few thousand parameters built from config (random weights); `config`
    overrides its shape."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    shape = dict(
        vocab_size=97,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
    )
    return LlamaForCausalLM(LlamaConfig(**{**shape, **config}))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh database: a SQLite file, and a database of its own on the PostgreSQL server that
    AFINA_TEST_POSTGRES names (.ci/postgres.sh starts one); without it the PostgreSQL case skips, or fails
    where AFINA_REQUIRE_POSTGRES says a server was started."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'registry.db'}"
        return
    server = os.environ.get("AFINA_TEST_POSTGRES")
    if not server:
        if os.environ.get("AFINA_REQUIRE_POSTGRES"):
            pytest.fail("AFINA_REQUIRE_POSTGRES is set but AFINA_TEST_POSTGRES names no server")
        pytest.skip("no PostgreSQL server (AFINA_TEST_POSTGRES; .ci/postgres.sh starts one)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"afina_{os.getpid()}_{abs(hash(str(tmp_path))) % 10**8}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
