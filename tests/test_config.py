import pytest

from afina.config import load_config
from afina.errors import ConfigError

from conftest import ROOT


def test_defaults_work_without_a_file():
    config = load_config(None)
    assert config.method.name == "lora" and config.train.epochs > 0


def test_set_overrides_parse_yaml_values():
    config = load_config(None, ["train.epochs=5", "train.bf16=true", "method.target_modules=[q_proj, v_proj]"])
    assert config.train.epochs == 5.0 and config.train.bf16 is True
    assert config.method.target_modules == ["q_proj", "v_proj"]


@pytest.mark.parametrize(
    "override, key, hint",
    [
        ("trian.epochs=1", "trian", "Did you mean 'train'?"),
        ("train.epohcs=1", "train.epohcs", "Did you mean 'epochs'?"),
        ("method.rank=8", "method.rank", "Valid keys here: alpha, dropout, modules_to_save, name, r, target_modules"),
        ("method.name=lorax", "method", "Choose one of: adapter, dora, freeze, full, ia3, lora, prefix, prompt"),
        ("train.epochs=many", "train.epochs", "valid number"),
        ("train.padding_free=false", "train.padding_free", "their own section: speed.padding_free"),
        ("train.task=generation", "train.task", "train.objective now"),
        ("train.objective=ppo2", "train.objective", "unknown objective 'ppo2'; choose auto or one of: classification"),
    ],
)
def test_bad_keys_and_values_name_the_key(override, key, hint):
    with pytest.raises(ConfigError) as info:
        load_config(None, [override])
    assert info.value.key == key and hint in str(info.value)


@pytest.mark.parametrize(
    "off, check",
    [
        ("data.pii=off", "max_pii"),
        ("data.near_duplicates=off", "max_near_duplicate_leaks"),
        ("data.flag=false", "max_flagged"),
    ],
)
def test_a_data_check_of_what_is_not_measured_is_refused(off, check):
    with pytest.raises(ConfigError, match=f"data.checks.{check} cannot be checked"):
        load_config(None, [off, f"data.checks.{check}=0"])
    load_config(None, [off])  # off alone is fine (YAML reads a bare off as false)


def test_method_keys_are_checked_per_method():
    with pytest.raises(ConfigError, match="method.r"):
        load_config(None, ["method.name=full", "method.r=8"])


def test_file_errors_name_the_file(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("train: [1, 2\n")
    with pytest.raises(ConfigError, match=str(path)):
        load_config(path)


@pytest.mark.parametrize(
    "example", sorted((ROOT / "examples").glob("**/*.yaml")), ids=lambda p: str(p.relative_to(ROOT / "examples"))
)
def test_every_example_config_loads(example):
    config = load_config(example)
    assert config.name == example.stem or example.parent.name != "examples"  # the loop's runs: v1, v2
