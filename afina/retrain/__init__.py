"""`afina retrain`: what a retrain of the production model trains on and against what it is judged.

`production` finds the model a name points to in production (`afina promote`) and the run that trained it.
`plan` gathers the newest data (data:) and users' corrections into the new run's retrain/ folder and
writes the config the new run is prepared, trained and evaluated with: from the production model (or its
base), replaying its training data (`train.replay`), compared with it (`evaluate.reference`) and checked
for regressions on its test split (`evaluate.regression_run`). The pipeline runs the stages and promotes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from afina.align.feedback import feedback_records
from afina.config import Config, load_config
from afina.errors import ConfigError, DataError
from afina.records import prompt_key, read_records, read_table, to_records
from afina.runfolder import RunFolder, TrainSummary, write_json_atomic, write_jsonl

__all__ = ["Production", "production", "plan"]

TRAINABLE = ("prompt_completion", "chat")  # what corrections are, and what a retrain feeds them into


@dataclass
class Production:
    """The model `name` points to in production, and the run that trained it."""

    name: str
    model_id: int
    path: Path  # the promoted folder: the run's result, or its merged export
    run: RunFolder
    config: Config  # the config the run was trained with
    summary: TrainSummary

    @property
    def is_result(self) -> bool:
        """Whether the promoted folder is the run's own result (not its merged export)."""
        return self.path.resolve() == self.run.result(self.summary).resolve()


def production(config: Config, registry) -> Production:
    """The production model of `retrain.name`; refused when there is none, or no run of afina's made it."""
    name = config.retrain.name
    if not name:
        raise ConfigError("afina retrain needs the name production is promoted as", key="retrain.name")
    if config.gate.min_task_gain is None and config.gate.max_regression is None:
        raise ConfigError(
            "afina retrain promotes only past a gate that compares the new model with production: set "
            "gate.min_task_gain (its gain over production) or gate.max_regression (on production's test split)",
            key="gate",
        )
    if not config.data.test_path:  # a split of corrections would judge the new model on them, broken or not
        raise ConfigError(
            "afina retrain judges the new model on held-out questions of the new data: give them as data.test_path",
            key="data.test_path",
        )
    model = registry.pointer(name, "production")
    if model is None:
        raise ConfigError(
            f"nothing is promoted as '{name}' (production): promote a run first (afina promote RUN --as {name})",
            key="retrain.name",
        )
    run = next((r for r in registry.runs() if r.id == model.run_id), None)
    if run is None or not Path(run.run_dir, "config.yaml").is_file():
        raise ConfigError(
            f"'{name}' (production) is {model.path}, which no afina run trained: retrain needs its run folder",
            key="retrain.name",
        )
    folder = RunFolder(Path(run.run_dir))
    return Production(name, model.id, Path(model.path), folder, load_config(folder.config), folder.read_train_summary())


def _read(path: str, data, fmt: str = "auto") -> tuple[str, list[dict]]:
    """(kind, records) of one of the user's files, read as `afina prepare` reads it."""
    rows, _ = read_table(path, fmt, data.delimiter)
    schema, records = to_records(rows, data.columns, path, data.labels)
    return schema.kind, [{k: v for k, v in r.items() if k != "source_row"} for r in records]


def _as_chat(record: dict) -> dict:
    if "messages" in record:
        return record
    return {
        "messages": [
            {"role": "user", "content": record["prompt"]},
            {"role": "assistant", "content": record["completion"]},
        ]
    }


def _single_turn(record: dict) -> dict | None:
    """A chat of one question and its answer as prompt/completion, else None."""
    m = record["messages"]
    if len(m) == 2 and m[0]["role"] == "user" and m[1]["role"] == "assistant":
        return {"prompt": m[0]["content"], "completion": m[1]["content"]}
    return None


def _corrections(config: Config, registry, served: str) -> tuple[str, list[dict]]:
    """(where from, chat records) of `retrain.feedback`."""
    source = config.retrain.feedback
    if source is None:
        return "none", []
    if source == "registry":
        rows = [r for r in registry.feedback() if r.model == served]
        return f"the registry's corrections of answers served as {served}", feedback_records(rows).sft
    path = Path(source)
    if path.is_dir() and (path / "sft.jsonl").is_file():  # the folder `afina feedback export --out` wrote
        path = path / "sft.jsonl"
    if not path.is_file():
        raise ConfigError(f"{source} is not a file (an sft.jsonl of afina feedback export)", key="retrain.feedback")
    schema, records = read_records(str(path))
    if schema.kind != "chat":
        raise DataError(f"holds {schema.kind} records; retrain.feedback takes chat records (sft.jsonl)", file=str(path))
    return str(path), [{k: v for k, v in r.items() if k != "source_row"} for r in records]


def plan(config: Config, prod: Production, registry) -> tuple[Config, dict]:
    """(the new run's config, what retrain.json says of it), after writing its training and test records
    into the run's retrain/ folder. Nothing is written when the run's folder holds a promoted model."""
    run = config.run
    held = [
        m for m in registry.models() if m.stage != "none" and Path(m.path).resolve().is_relative_to(run.root.resolve())
    ]
    if run.root.resolve() == prod.run.root.resolve() or held:
        raise ConfigError(
            f"{run.root} holds a promoted model ({(held[0].path if held else prod.path)}): a retrain must not "
            "overwrite it; give the new run another name (--set name=...)",
            key="name",
        )
    kind, records = _read(config.data.path, config.data, config.data.format)
    test_kind, test = _read(config.data.test_path, config.data)
    if test_kind != kind:
        raise DataError(f"holds {test_kind} records but {config.data.path} holds {kind}", file=config.data.test_path)
    served = config.monitor.served_as or prod.name
    where, corrections = _corrections(config, registry, served)
    if corrections and kind not in TRAINABLE:
        raise ConfigError(
            f"{config.data.path} holds {kind} records, and corrections train prompt/completion or chat data: "
            "set retrain.feedback: null",
            key="retrain.feedback",
        )
    # a question a test split asks is never trained on (this data's, or production's, whose rows a correction
    # would otherwise supersede); the data's own answer to a question is newer than a correction of an old one
    tested = {prompt_key(r) for r in test} | {prompt_key(r) for r in prod.run.read_split("test")}
    answered = {prompt_key(r) for r in records}
    kept = [c for c in corrections if prompt_key(c) not in tested | answered]
    if kind == "prompt_completion" and any(_single_turn(c) is None for c in kept):
        kind, records, test = "chat", [_as_chat(r) for r in records], [_as_chat(r) for r in test]
    feedback = [_single_turn(c) if kind == "prompt_completion" else c for c in kept]

    folder = run.retrain
    folder.mkdir(parents=True, exist_ok=True)
    write_jsonl(folder / "train.jsonl", records + feedback)
    write_jsonl(folder / "test.jsonl", test)
    raw = config.model_dump(mode="json")
    raw["data"] |= {"path": str(folder / "train.jsonl"), "format": "jsonl", "columns": {}, "delimiter": None}
    raw["data"]["test_path"] = str(folder / "test.jsonl")
    raw["model"], raw["pretrain"] = (
        prod.config.model.model_dump(mode="json"),
        prod.config.pretrain.model_dump(mode="json"),
    )
    start = f"the base {prod.summary.base_model}"
    if config.retrain.start == "production":
        if not prod.is_result or prod.summary.artifact == "model":  # a whole model: the base to go on from
            raw["model"]["base_model"] = str(prod.path.resolve())
            start = f"the production model {prod.path}"
        else:  # its adapter, in its own shape
            raw["method"] = prod.config.method.model_dump(mode="json")
            raw["train"]["init_from"] = str(prod.path.resolve())
            start = f"the production adapter {prod.path}"
    if config.train.replay and config.train.replay_from == "auto":
        raw["train"]["replay_from"] = str(prod.run.root.resolve())
    raw["evaluate"] |= {
        "compare_base": True,
        "reference": str((prod.run.root if prod.is_result else prod.path).resolve()),
        "regression_run": str(prod.run.root.resolve()),
    }
    derived = Config.model_validate(raw)
    report = {
        "production": {"name": prod.name, "model_id": prod.model_id, "path": str(prod.path), "run": str(prod.run.root)},
        "start": start,
        "data": {
            "source": config.data.path,
            "rows": len(records),
            "test_source": config.data.test_path,
            "test_rows": len(test),
        },
        "feedback": {
            "source": where,
            "corrections": len(corrections),
            "added": len(kept),  # to the data, split with its rows (some into validation)
            "asked_by_a_test_split": sum(prompt_key(c) in tested for c in corrections),  # kept out
            "answered_by_the_data": sum(prompt_key(c) in answered - tested for c in corrections),  # kept out
        },
        "kind": kind,
    }
    write_json_atomic(folder / "retrain.json", report)
    return derived, report
