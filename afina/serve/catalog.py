"""What a server serves: the models named on the command line (registry names or folders), each adapter on
its base, and one engine per base, so every adapter of a base shares one copy of its weights. The list is
fixed when the server starts; a request can only name one of its ids, never a path."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from afina.errors import ConfigError
from afina.models import ModelConfig, load_model, load_tokenizer
from afina.runfolder import afina_home
from afina.serve.adapters import AdapterSet, adapter_base
from afina.serve.engine import BASE, Engine

RESULT_FOLDERS = ("adapter", "model", "merged-model")  # a run folder's results: a spec may name the run instead


@dataclasses.dataclass
class Served:
    """One id a client can ask for: a base, an adapter on a base, or a whole model."""

    id: str
    kind: str  # base | adapter | model
    path: str
    parent: str | None  # an adapter's base id
    engine: Engine
    tokenizer: object
    adapter: str = BASE  # the adapter's name in its engine's batch
    created: int = dataclasses.field(default_factory=lambda: int(time.time()))

    @property
    def context(self) -> int:
        return self.engine.context


@dataclasses.dataclass
class Spec:
    id: str
    kind: str  # adapter | model
    path: Path
    track: tuple[str, str, int] | None = None  # NAME@STAGE: (name, stage, the model id it points to now)


def _folder_spec(id_: str | None, path: Path) -> Spec:
    if path.name in RESULT_FOLDERS and (path.parent / "config.yaml").is_file():
        default_id = path.parent.name + (":merged" if path.name == "merged-model" else "")
    else:
        default_id = path.name
    if (path / "adapter_config.json").is_file():
        return Spec(id_ or default_id, "adapter", path)
    if (path / "config.json").is_file():
        return Spec(id_ or default_id, "model", path)
    for name in RESULT_FOLDERS:  # a run folder: its result (the adapter, else the model)
        if (path / name).is_dir() and name != "merged-model":
            return _folder_spec(id_ or path.name, path / name)
    raise ConfigError(f"{path} holds no model: a PEFT adapter, a transformers model or a run folder", "--model")


def resolve(spec: str, registry=None) -> Spec:
    """A `--model` value: ID=PATH, a folder (an adapter, a model, or a run folder), the name of a registered
    run (its result; NAME:merged for its exported merged model), or NAME@production (NAME@staging): what
    `afina promote` points NAME to, followed while the server runs."""
    id_, _, path = spec.rpartition("=") if "=" in spec else (None, "", spec)
    if Path(path).exists():
        return _folder_spec(id_ or None, Path(path).resolve())
    if registry is None:
        raise ConfigError(f"--model {spec}: no such folder", key="--model")
    if "@" in path:
        name, _, stage = path.partition("@")
        model = registry.pointer(name, stage)
        if model is None:
            raise ConfigError(f"--model {spec}: nothing is promoted as '{name}' ({stage}) (afina promote)", "--model")
        found = _folder_spec(id_ or name, Path(model.path))
        return dataclasses.replace(found, id=id_ or name, track=(name, stage, model.id))
    name, _, variant = path.partition(":")
    runs = [r for r in registry.runs() if r.name == name]
    if not runs:
        known = sorted({r.name for r in registry.runs()})
        raise ConfigError(
            f"--model {spec}: no such folder, and no run named '{name}' in the registry"
            + (f" (runs: {', '.join(known)})" if known else ""),
            key="--model",
        )
    run = runs[-1]  # the newest of that name
    kinds = ("merged",) if variant == "merged" else ("adapter", "model")
    models = [m for m in registry.models(run.id) if m.kind in kinds and Path(m.path).exists()]
    if not models:
        raise ConfigError(f"--model {spec}: the run {run.run_dir} has no {' or '.join(kinds)} on disk", "--model")
    found = _folder_spec(id_ or path, Path(models[-1].path))
    return dataclasses.replace(found, id=id_ or path)


def base_id(base: str, registry=None) -> str:
    """The id a base is served under: afina:NAME for one afina built, the run's name for a registered run's
    model (NAME:merged for a merged export), else the path or hub id as the adapter names it."""
    path = Path(base)
    models = afina_home() / "models"
    if path.is_absolute() and path.parent.parent == models:
        return f"afina:{path.parent.name}"
    if registry is not None and path.exists():
        resolved = str(path.resolve())
        for model in registry.models():
            if model.path == resolved and model.run_id is not None:
                run = next(r for r in registry.runs() if r.id == model.run_id)
                return run.name + (":merged" if model.kind == "merged" else "")
    return base


@dataclasses.dataclass
class Plan:
    """What serving the specs takes, before anything is loaded: each base with its id and adapters, and the
    whole models. `Catalog` loads it; `vllm_commands` writes it for vLLM."""

    bases: list[tuple[str, str, list[Spec]]]  # (base path or hub id, its served id, its adapters)
    models: list[Spec]


def plan(specs: list[Spec], registry=None) -> Plan:
    ids = [s.id for s in specs]
    for spec in specs:
        if ids.count(spec.id) > 1:
            raise ConfigError(f"two models are served as '{spec.id}': give one another id (ID=PATH)", "--model")
    by_base: dict[str, list[Spec]] = {}
    for spec in specs:
        if spec.kind == "adapter":
            by_base.setdefault(adapter_base(spec.path), []).append(spec)
    bases = []
    for base, adapters in by_base.items():
        bid = base_id(base, registry)
        bases.append((base, f"{bid}:base" if bid in ids else bid, adapters))
    return Plan(bases, [s for s in specs if s.kind == "model"])


VLLM_LORA_RANKS = (8, 16, 32, 64, 128, 256, 320, 512)  # the values vLLM's --max-lora-rank takes


def vllm_commands(serving: Plan, api_key_env: str = "AFINA_API_KEY") -> list[str]:
    """One `vllm serve` command per base (vLLM serves one base per process, its LoRA adapters by name) and per
    whole model, with the same ids clients use here, so the adapters and the API move to a GPU unchanged."""
    import json
    import shlex

    commands = []
    for base, bid, adapters in serving.bases:
        ranks = [json.loads((s.path / "adapter_config.json").read_text())["r"] for s in adapters]
        rank = next((r for r in VLLM_LORA_RANKS if r >= max(ranks)), max(ranks))
        modules = " ".join(shlex.quote(f"{s.id}={s.path}") for s in adapters)
        commands.append(
            f"vllm serve {shlex.quote(base)} --served-model-name {shlex.quote(bid)} --enable-lora "
            f"--lora-modules {modules} --max-loras {len(adapters)} --max-lora-rank {rank} "
            f'--api-key "${api_key_env}"'
        )
    for spec in serving.models:
        path, name = shlex.quote(str(spec.path)), shlex.quote(spec.id)
        commands.append(f'vllm serve {path} --served-model-name {name} --api-key "${api_key_env}"')
    return commands


class Catalog:
    """The served ids and their engines. Adapters of one base share one engine (one base in memory)."""

    def __init__(self, specs: list[Spec], registry=None, adapter_memory: int = 2**30, **engine_args):
        self.models: dict[str, Served] = {}
        self.engines: list[Engine] = []
        self.tracked = {s.id: s.track for s in specs if s.track is not None}  # id → (name, stage, model id)
        self.registry, self.adapter_memory, self.engine_args = registry, adapter_memory, engine_args
        config = ModelConfig()
        serving = plan(specs, registry)
        for spec in serving.models:
            tokenizer = load_tokenizer(str(spec.path), config)
            engine = Engine(load_model(str(spec.path), config, dtype="auto"), tokenizer, **engine_args)
            self.engines.append(engine)
            self._add(Served(spec.id, "model", str(spec.path), None, engine, tokenizer))
        for base, bid, adapters in serving.bases:
            base_model = load_model(base, config, dtype="auto")
            adapter_set = AdapterSet(base_model, {s.id: s.path for s in adapters}, adapter_memory)
            engine = Engine(adapter_set.model, load_tokenizer(base, config), adapters=adapter_set, **engine_args)
            self.engines.append(engine)
            self._add(Served(bid, "base", base, None, engine, engine.tokenizer))
            for s in adapters:  # an adapter's own tokenizer (its chat template) where it saved one
                own = (s.path / "tokenizer_config.json").is_file()
                tokenizer = load_tokenizer(str(s.path), config) if own else None
                self._add(Served(s.id, "adapter", str(s.path), bid, engine, tokenizer or engine.tokenizer, s.id))

    def refresh(self) -> list[str]:
        """Follow the promotions of the NAME@STAGE ids: where a pointer moved, load the model it points to now
        and swap it in (requests already running finish on the one before). An adapter on a base this server
        holds joins that base's adapters; anything else gets an engine of its own. Returns the ids that moved."""
        self._retire()
        moved = []
        for id_, (name, stage, current) in list(self.tracked.items()):
            model = self.registry.pointer(name, stage)
            if model is None or model.id == current:
                continue
            spec = dataclasses.replace(_folder_spec(id_, Path(model.path)), id=id_)
            engine = next((e for e in self.engines if e.adapters is not None and spec.kind == "adapter"
                           and e.adapters.base == adapter_base(spec.path)), None)  # fmt: skip
            if engine is not None:
                slot = f"{id_}#{model.id}"
                engine.adapters.add(slot, spec.path)
                base = next(m.id for m in self.models.values() if m.kind == "base" and m.engine is engine)
                served = Served(id_, "adapter", str(spec.path), base, engine, engine.tokenizer, slot)
            else:
                single = Catalog([spec], self.registry, self.adapter_memory, **self.engine_args)
                served = single.models[id_]
                self.engines += single.engines
                for other in single.models.values():  # its base too, so a later adapter finds it
                    self.models.setdefault(other.id, other)
            self.models[id_] = served  # one assignment: a request sees the old model or the new, whole
            self.tracked[id_] = (name, stage, model.id)
            moved.append(id_)
        return moved

    def _retire(self) -> None:
        """Close the engines no id serves any more (a whole model a promotion replaced) once they are idle."""
        for engine in [e for e in self.engines if all(m.engine is not e for m in self.models.values())]:
            if engine.in_flight == 0:
                engine.close()
                self.engines.remove(engine)

    def _add(self, served: Served) -> None:
        if served.id in self.models:
            raise ConfigError(f"two models are served as '{served.id}': give one another id (ID=PATH)", "--model")
        self.models[served.id] = served

    def close(self) -> None:
        for engine in self.engines:
            engine.close()
