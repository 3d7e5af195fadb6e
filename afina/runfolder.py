"""The run folder: its named paths, typed readers of what the stages wrote there, and the one way
afina writes artifacts: to a temporary name, then rename, so a crash never leaves something that
looks finished (docs/design.md, "Contracts"). Stages talk to each other only through this folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Iterator

from afina.errors import ConfigError, DataError

SPLITS = ("train", "validation", "test")
# train_summary.json as releases before objectives wrote it: a task instead of an objective and a head, and
# the speed switches at the top level. `TrainSummary.from_dict` reads it as today's.
_TASKS = {
    "generation": ("sft", "causal_lm"),
    "classification": ("classification", "sequence_classification"),
    "seq2seq": ("seq2seq", "seq2seq_lm"),
}
_FLAT_SPEED = (
    "padding_free",
    "answer_logits",
    "answer_last_layer",
    "frozen_bf16_parameters",
    "fused_lora_layers",
    "fused_attention_layers",
    "plain_attention",
    "fused_norm_layers",
    "reuse_freed_memory",
)


@contextlib.contextmanager
def atomic_dir(final: Path) -> Iterator[Path]:
    """Yield a temporary sibling folder; on success it replaces `final`, on failure it is removed."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def write_text_atomic(path: Path, text: str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def write_json_atomic(path: Path, data) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def write_jsonl(path: Path, records: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def hash_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(Path(path).name.encode())
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


def afina_home() -> Path:
    return Path(os.environ.get("AFINA_HOME", Path.home() / ".afina")).expanduser()


@dataclass
class TrainSummary:
    """What `afina train` records in train_summary.json: the result it wrote and how training went."""

    objective: str
    head: str
    method: str
    method_settings: dict  # the method section it was trained with: what loading the result needs (QLoRA's 4 bits)
    artifact: str  # the run folder's current result: "adapter" or "model"
    base_model: str
    labels: list[str] | None
    global_step: int
    train_loss: float
    best_eval_loss: float | None  # the best value of `best_metric` (the validation loss, but for PPO its reward)
    best_checkpoint: str | None
    stopped_early: bool
    bf16: bool
    speed: dict = field(default_factory=dict)  # the speed switches that were on (afina.speed.Switched)
    train_seconds: float = 0.0
    tokens: int = 0
    tokens_per_second: float = 0.0
    peak_memory_mb: float = 0.0
    parameters: dict = field(default_factory=dict)
    resumed_from: str | None = None
    skipped_steps: list[int] = field(default_factory=list)  # steps not applied: their loss was not finite
    l2_sp: float = 0.0  # the pull toward the starting weights it trained with (train.l2_sp)
    best_metric: str = "eval_loss"  # what picked the best checkpoint: the trainer's metric_for_best_model

    def to_dict(self) -> dict:
        """The summary as train_summary.json holds it."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "TrainSummary":
        """A summary from train_summary.json (an older release's too); keys this release does not know are ignored."""
        data = dict(data)
        if "task" in data and "objective" not in data:
            data["objective"], data["head"] = _TASKS[data.pop("task")]
            data["speed"] = {key: data.pop(key) for key in _FLAT_SPEED if key in data}
        data.setdefault("method_settings", {"name": data["method"]})
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


def _under(*parts: str) -> property:
    return property(lambda self: self.root.joinpath(*parts))


@dataclass(frozen=True)
class RunFolder:
    """runs/<name>/: the paths every stage reads and writes, by name."""

    root: Path

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root))

    config = _under("config.yaml")  # the resolved config
    data = _under("data")  # the splits, data_report.json, canaries.json
    data_report = _under("data", "data_report.json")
    canaries = _under("data", "canaries.json")
    checkpoints = _under("checkpoints")
    metrics = _under("metrics.jsonl")
    tensorboard = _under("tensorboard")
    train_summary = _under("train_summary.json")
    eval = _under("eval")
    eval_json = _under("eval", "eval.json")
    report_html = _under("eval", "report.html")
    monitor = _under("monitor")  # afina monitor: drift.json, report.html
    retrain = _under("retrain")  # afina retrain: the data it trained on, gathered, and retrain.json
    merged_model = _under("merged-model")  # afina export
    merged_adapter = _under("merged")  # afina merge

    def split(self, name: str) -> Path:
        """One prepared split's JSONL file."""
        return self.data / f"{name}.jsonl"

    def artifact(self, name: str) -> Path:
        """A trained result's folder: adapter/ or model/."""
        return self.root / name

    def read_data_report(self) -> dict:
        """data/data_report.json; a run that was never prepared is the user's to fix (exit 2)."""
        if not self.data_report.is_file():
            raise DataError(
                "is missing: run `afina prepare` (or `afina run`) for this config first", file=str(self.data_report)
            )
        return json.loads(self.data_report.read_text())

    def read_split(self, name: str) -> list[dict]:
        """One prepared split's records."""
        path = self.split(name)
        if not path.is_file():
            raise DataError(f"the {name} split is missing; run `afina prepare` first", file=str(path))
        return read_jsonl(path)

    def read_canaries(self) -> list[dict]:
        """The canaries planted in the train split (empty when none were)."""
        return json.loads(self.canaries.read_text()) if self.canaries.is_file() else []

    def read_train_summary(self) -> TrainSummary:
        """train_summary.json; a run that was never trained is the user's to fix (exit 2)."""
        if not self.train_summary.is_file():
            raise ConfigError(f"no {self.train_summary.name} in {self.root}: run `afina train` first")
        return TrainSummary.from_dict(json.loads(self.train_summary.read_text()))

    def result(self, summary: TrainSummary | None = None) -> Path:
        """The trained result the train summary names: the one every later stage loads."""
        summary = summary or self.read_train_summary()
        path = self.artifact(summary.artifact)
        if not path.is_dir():
            raise ConfigError(f"{path} is missing although {self.train_summary.name} names it: run `afina train` again")
        return path

    def read_metrics(self) -> list[dict]:
        """metrics.jsonl's lines (empty before training)."""
        return read_jsonl(self.metrics) if self.metrics.is_file() else []
