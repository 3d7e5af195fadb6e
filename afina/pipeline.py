"""The lifecycle, stage by stage. Every stage has one shape, `stage(config, options) -> result`: it
runs alone from the run folder, records its artifact in the registry once it succeeded, and prints
its results (even with --quiet, which hides only progress). `STAGES` is the table the CLI dispatches
from; `run` chains prepare → (pretrain) → train → evaluate.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # imported where used, so that `afina --help` does not load torch
    from afina.config import Config
    from afina.runfolder import TrainSummary


@dataclass(frozen=True)
class Options:
    """What the command line adds to a config, the same for every stage (each reads what it uses)."""

    resume: bool = False  # train: continue from the run's last checkpoint
    quiet: bool = False  # no progress bars or logs, only results and errors
    out: Path | None = None  # pretrain, export, merge: the folder to write instead of the default
    force: bool = False  # export: a run whose evaluation gate failed too
    callbacks: tuple = ()  # train: extra transformers TrainerCallbacks (tests, benchmarks)
    input: Path | None = None  # reward score: the file of answers to score
    worker: bool = False  # search: join the study as one more worker


def _registry(config: Config):
    from afina.registry import open_registry

    return open_registry(config.registry.url)


def _write_config(config: Config) -> None:
    from afina.config import dump_config
    from afina.runfolder import write_text_atomic

    write_text_atomic(config.run.config, dump_config(config))


def stage_prepare(config: Config, options: Options = Options()) -> dict:
    """Load, validate, deduplicate and split the data into the run folder; returns the data report."""
    from afina.distributed import single_process

    single_process("prepare")
    from afina.data import run_prepare
    from afina.models import is_builtin
    from afina.records.general import Replay, retain_sets, retained_keys

    t, ev = config.train, config.evaluate
    replay = Replay(t.replay, t.replay_from, config.seed, config.pretrain) if t.replay else None
    retained = retained_keys(retain_sets(ev.retain, ev.retain_rows, is_builtin(config.model))) if replay else set()
    # raises before anything is written or registered
    report = run_prepare(config.data, config.seed, config.run, replay, retained)
    _write_config(config)
    _registry(config).add_dataset(config.run.data, report)
    s = report["splits"]
    separated = {
        ",": ", comma-separated",
        ";": ", semicolon-separated",
        "\t": ", tab-separated",
        "|": ", pipe-separated",
    }
    kept = (
        f"{report['rows_kept']} preference pairs from {report['rows_read']} rated responses"
        if report["source_kind"] == "rating"
        else f"{report['rows_kept']} of {report['rows_read']} rows"
    )
    print(
        f"Prepared {kept} ({report['kind']}"
        f"{separated.get(report['delimiter'], '')}): train "
        f"{s['train']['rows']}, validation {s['validation']['rows']}, test {s['test']['rows']}; "
        f"dropped {report['rows_dropped']} → {config.run.data}"
    )
    if report["replay"]:
        r = report["replay"]
        print(
            f"Replayed {r['rows']} rows in train ({r['share']:.0%} of it) from {r['from']}; passed over as in the "
            "retain set, asked by the task's own rows (train) or in the evaluation splits: "
            + ", ".join(f"{n} ({why})" for why, n in r["passed_over"].items())
        )
    if report["rows_planted"]:
        print(
            f"Planted {len(report['canaries'])} canaries in train ({report['rows_planted']} rows: "
            + ", ".join(f"{c['repeats']}×" for c in report["canaries"])
            + ")"
        )
    return report


def stage_pretrain(config: Config, options: Options = Options()) -> Path:
    """Train a small base model from scratch (tokenizer + Llama-style LM) into AFINA_HOME or `out`."""
    from afina.models import builtin_path
    from afina.models.pretrain import pretrain

    target = Path(options.out) if options.out else builtin_path(config.model.base_model, config.pretrain)
    pretrain(config.pretrain, target, quiet=options.quiet)
    _registry(config).add_model(None, "base", target.resolve(), parent=None)
    print(f"Base model saved to {target}")
    return target


def stage_train(config: Config, options: Options = Options()) -> TrainSummary:
    """Fine-tune the base model on the prepared data (pretraining an afina: base first if needed)."""
    from afina.distributed import is_main, world_size
    from afina.models.pretrain import ensure_base
    from afina.train import run_train

    report = config.run.read_data_report()  # an unprepared run is told so before anything else happens
    if is_main():
        _write_config(config)
    if world_size() > 1:  # every rank would pretrain a missing base into the same folder
        from afina.models import builtin_path, is_builtin

        if is_builtin(config.model) and not builtin_path(config.model.base_model, config.pretrain).is_dir():
            from afina.errors import ConfigError

            raise ConfigError(
                f"pretrain {config.model.base_model} first (afina pretrain CONFIG), then launch", "model.base_model"
            )
    ensure_base(config.model, config.pretrain, quiet=options.quiet)  # a missing afina: base: pretrain it
    summary = run_train(config, config.run, resume=options.resume, quiet=options.quiet, callbacks=options.callbacks)
    if not is_main():  # under torchrun: rank 0 records the run
        return summary
    result = config.run.result(summary)
    shutil.rmtree(config.run.eval, ignore_errors=True)  # the previous model's evaluation is not this one's
    _registry(config).record_run(
        config.run_dir,
        config.name,
        "trained",
        config.model_dump(mode="json"),
        model={"kind": summary.artifact, "path": result.resolve(), "parent": summary.base_model},
        method=summary.method,
        base_model=summary.base_model,
        data_hash=report["hash"],
        metrics={"train": summary.to_dict(), "eval": None, "gate": None},
    )
    best = summary.best_metric.removeprefix("eval_").replace("_", " ")
    print(f"Trained {summary.global_step} steps, best validation {best} {summary.best_eval_loss} → {result}")
    return summary


def stage_evaluate(config: Config, options: Options = Options()) -> dict:
    """Evaluate, print the headline numbers and the gate; a failed gate marks the run in the registry and
    raises GateFailed (exit 3) after the report is written."""
    from afina.distributed import single_process
    from afina.errors import GateFailed
    from afina.evaluate import headline, run_evaluate
    from afina.evaluate.gate import gate_table, primary_metric

    single_process("evaluate")

    results = run_evaluate(config, config.run, quiet=options.quiet)
    gate = results.get("gate")
    status = "evaluated" if gate is None else ("gate_passed" if gate["passed"] else "gate_failed")
    scores_by_model = headline(results["models"])
    _registry(config).record_run(
        config.run_dir,
        config.name,
        status,
        config.model_dump(mode="json"),
        metrics={"eval": scores_by_model, "gate": gate},
    )
    for name, scores in scores_by_model.items():
        print(f"  {name:>5}: " + ", ".join(f"{k} {v:.3f}" for k, v in scores.items()))
    metric = primary_metric(config, results["objective"])
    over = results.get("baseline_comparison", {}).get(metric)
    if over:
        print(
            f"  tuned − baseline ({metric}): {over['difference']:+.3f} [{over['ci'][0]:+.3f}, {over['ci'][1]:+.3f}],"
            f" p {over['p_value']:.3g}; the baseline: {results['baseline']['what']}"
        )
    if "forgetting" in results:
        f = results["forgetting"]
        print(f"  forgetting ({f['metric']}): {f['forgetting']:.3f} [{f['ci'][0]:.3f}, {f['ci'][1]:.3f}]")
    if "regression" in results:
        r = results["regression"]
        line = f"  on {r['run']}'s test split ({r['rows']} rows; {r['superseded']} superseded by this run's data): "
        if r["drop"] is None:
            print(line + "nothing left to measure")
        else:
            m = r["metric"]
            print(line + f"{m} {r['base'][m]:.3f} → {r['tuned'][m]:.3f} (drop {r['drop']:+.3f})")
    if "alignment" in results:
        a = results["alignment"]
        w, kl, greedy = a["win_rate"], a["kl"], a["greedy"]["win_rate"]["value"]
        line = (
            f"  win rate against the base (judged by {a['judge']}, sampled at {a['temperature']:g}): "
            f"{w['value']:.3f} [{w['ci'][0]:.3f}, {w['ci'][1]:.3f}], greedy {greedy:.3f}; KL to it "
            f"{kl['value']:.2f} nats per answer"
        )
        if a["judge_accuracy"]:
            line += f"; the judge's accuracy on the held-out pairs {a['judge_accuracy']['accuracy']:.3f}"
        print(line)
        if "endpoint" in a:
            ep = a["endpoint"]
            agreement = f"{ep['agreement']:.3f}" if ep["agreement"] is not None else "not measured"
            print(
                f"  win rate judged by {ep['model']}: {ep['win_rate']['value']:.3f}; its agreement with the "
                f"held-out pairs {agreement}"
            )
        if "task" in a:
            t, m = a["task"], a["task"]["metric"]
            print(f"  {m} on {t['run']}'s test split: {t['base'][m]:.3f} → {t['tuned'][m]:.3f}")
    print(f"Report: {config.run.report_html.resolve()}")
    if gate:
        print(gate_table(gate))
        if not gate["passed"]:
            failed = ", ".join(c["check"] for c in gate["checks"] if not c["passed"])
            raise GateFailed(f"the evaluation gate failed ({failed}); the run is marked gate_failed in the registry")
    return results


def stage_export(config: Config, options: Options = Options()) -> Path:
    """Merge the run's adapter into its base: a standalone transformers model (default <run>/merged-model)."""
    from afina.errors import GateFailed
    from afina.export import FIDELITY, export_merged

    if config.run.eval_json.is_file() and not options.force:
        gate = json.loads(config.run.eval_json.read_text()).get("gate")
        if gate and not gate["passed"]:
            failed = ", ".join(c["check"] for c in gate["checks"] if not c["passed"])
            raise GateFailed(
                f"the run's evaluation gate failed ({failed}): not exporting a model the gate refused; "
                "`afina export CONFIG --force` exports it anyway"
            )
    target = export_merged(config, config.run, Path(options.out) if options.out else config.run.merged_model)
    _registry(config).record_run(
        config.run_dir,
        config.name,
        "exported",
        config.model_dump(mode="json"),
        model={"kind": "merged", "path": target.resolve(), "parent": str(config.run.result().resolve())},
        keep_status=True,
    )
    print(f"Merged model saved to {target}")
    fidelity = json.loads((target / FIDELITY).read_text())
    if "prompts" in fidelity:
        print(
            f"  against the trained {fidelity['method']} result on {fidelity['prompts']} test prompts: "
            f"{fidelity['same_greedy_answers']} greedy answers the same, logits within "
            f"{fidelity['max_logit_difference']:.2g}"
            + (
                " (QLoRA trained on a 4-bit base; the export is merged into the full-precision one)"
                if fidelity["method"] == "qlora"
                else ""
            )
        )
    return target


def stage_merge(config: Config, options: Options = Options()) -> Path:
    """Combine adapters trained on different tasks into one (the merge: section)."""
    from afina.export import merge_adapters

    out = options.out or config.merge.output
    target = merge_adapters(config, Path(out) if out else config.run.merged_adapter)
    _registry(config).add_model(
        None, "adapter", target.resolve(), parent=", ".join(str(Path(a).resolve()) for a in config.merge.adapters)
    )
    print(f"Merged {len(config.merge.adapters)} adapters ({config.merge.combination}) into {target}")
    return target


def reward_score(config: Config, options: Options = Options()) -> list[dict]:
    """`afina reward score`: the reward of each answer in `options.input` (prompt/completion or chat records),
    by the run's reward model (its result, when the run trained one) or `align.reward_model`; written as JSONL,
    each row with its `reward`, to `options.out` or printed."""
    from afina.align.rewards import RewardModel
    from afina.errors import ConfigError
    from afina.records import as_conversation, read_records
    from afina.runfolder import write_jsonl

    if options.input is None:
        raise ConfigError("afina reward score needs --input FILE: the answers to score")
    trained = config.run.train_summary.is_file() and config.run.read_train_summary().objective == "reward"
    source = str(config.run_dir) if trained else config.align.reward_model
    if source is None:
        raise ConfigError(
            f"{config.run_dir} has no reward model and align.reward_model is not set: train one "
            "(train.objective: reward) or name one",
            key="align.reward_model",
        )
    schema, records = read_records(str(options.input))
    if schema.kind not in ("prompt_completion", "chat"):
        raise ConfigError(
            f"{options.input} holds {schema.kind} records; reward score takes prompt/completion or chat records "
            "(the answer to score is the completion, or the chat's last message)"
        )
    judge = RewardModel.load(source, config.model, config.evaluate.batch_size)
    conversations = [as_conversation(r, config.data.system_prompt) for r in records]
    scores = judge.score([c["prompt"] for c in conversations], [c["completion"][-1]["content"] for c in conversations])
    rows = [{**r, "reward": s} for r, s in zip(records, scores)]
    if options.out:
        tmp = Path(f"{options.out}.tmp")
        write_jsonl(tmp, rows)
        tmp.replace(options.out)  # a crash leaves no scored file that looks complete
        print(f"Scored {len(rows)} answers by {source} → {options.out}")
    else:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    return rows


def run_pipeline(config: Config, options: Options = Options()) -> dict:
    """The whole pipeline: prepare → train (pretraining an afina: base first if needed) → evaluate."""
    from afina.train import resolve_objective

    resolve_objective(config)  # an objective or method the model cannot take is refused before any work
    stage_prepare(config, options)
    stage_train(config, options)
    return stage_evaluate(config, options)


def stage_search(config: Config, options: Options = Options()) -> object:
    """Search `search.space` with Optuna, each trial a run of its own (prepare → train, and evaluate for a
    task metric), pruned from its validation losses; print the trials, the best and the parameters'
    importances, and write the best config as a YAML `afina run` takes (runs/<name>/search/best.yaml)."""
    import contextlib
    import dataclasses

    from afina.errors import GateFailed
    from afina.search import Pruned, run_search
    from afina.train import resolve_objective

    objective = resolve_objective(config)
    metric = config.search.objective

    def run_trial(trial: Config, callbacks: list) -> float:
        opts = dataclasses.replace(options, quiet=True, callbacks=(*options.callbacks, *callbacks))
        trial.run.root.mkdir(parents=True, exist_ok=True)
        with open(trial.run.root / "search.log", "w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
            stage_prepare(trial, opts)
            summary = stage_train(trial, opts)
            if any(getattr(c, "pruned", False) for c in callbacks):
                raise Pruned()
            if metric == "eval_loss":
                return summary.best_eval_loss
            try:
                results = stage_evaluate(trial, opts)
            except GateFailed:  # the gate's verdict is not the search's: the metric is what is compared
                results = json.loads(trial.run.eval_json.read_text())
        return results["models"]["tuned"][metric]

    def mark(trial: Config, status: str, error: str | None) -> None:
        _registry(trial).record_run(
            trial.run_dir, trial.name, status, trial.model_dump(mode="json"), metrics={"search_error": error}
        )

    raw = config.model_dump(mode="json")
    result = run_search(config, raw, objective, run_trial, mark, worker=options.worker, quiet=options.quiet)
    keys = list(config.search.space)
    print(f"Study {result.study} ({result.storage}): {len(result.trials)} trials, {metric} ({result.direction})")
    print(f"{'trial':>5}  {'state':<8} {metric:>12}  " + "  ".join(f"{k:>22}" for k in keys) + "  run")
    for t in result.trials:
        value = f"{t['value']:.4f}" if t["value"] is not None else "—"
        params = "  ".join(f"{t['params'].get(k, '—')!s:>22}" for k in keys)
        note = " (the config's own values)" if t["baseline"] else ""
        print(f"{t['number']:>5}  {t['state']:<8} {value:>12}  {params}  {t['run'] or '—'}{note}")
        if t["error"]:
            print(f"       {t['error']}")
    if result.best is None:
        print("No trial completed.")
        return result
    if result.importances:
        print("Importance: " + ", ".join(f"{k} {v:.2f}" for k, v in result.importances.items()))
    print(f"Best: trial {result.best['number']} ({metric} {result.best['value']:.4f}) → {result.best_config}")
    return result


@dataclass(frozen=True)
class Stage:
    """One row of the CLI's table: the stage function, its help, and the options it reads."""

    run: Callable[[Config, Options], object]
    help: str
    resume: bool = False
    out: str | None = None  # the help of --out where the stage writes a folder of the user's choice
    force: str | None = None  # the help of --force where the stage refuses something unless forced
    input: str | None = None  # the help of --input (required) where the stage reads a file of the user's
    worker: str | None = None  # the help of --worker where the stage can join others' work


def stage_monitor(config: Config, options: Options = Options()) -> dict:
    """Compare production inputs (--input: the server's request log or a file of prompts) with the run's
    training data; print each check; raise DriftDetected (exit 4) when one crossed its threshold."""
    from afina.errors import DriftDetected
    from afina.monitor import run_monitor

    results = run_monitor(config, options.input, _registry(config))
    print(f"{results['inputs']['count']} inputs against {results['train']['sample']} training prompts of {config.name}")
    print(f"{'check':<20} {'value':>9}  threshold  result")
    for c in results["checks"]:
        print(f"{c['check']:<20} {c['value']:>9.4f}  {c['threshold']:>9.4g}  {'DRIFTED' if c['drifted'] else 'ok'}")
    print(f"{results['clusters']['outside_share']:.0%} of the inputs lie outside every training cluster")
    print(f"Report: {(config.run.monitor / 'report.html').resolve()}")
    if results["drifted"]:
        failed = ", ".join(c["check"] for c in results["checks"] if c["drifted"])
        raise DriftDetected(f"the inputs drifted ({failed}): retrain (afina retrain) or look at the report")
    return results


def stage_retrain(config: Config, options: Options = Options()) -> dict:
    """Retrain the production model of `retrain.name` on the newest data and users' corrections, evaluate the
    new model against it, and promote the new one only when the gate passes (else GateFailed, exit 3, and
    production stays as it was)."""
    from afina.errors import ConfigError, GateFailed
    from afina.retrain import plan, production

    registry = _registry(config)
    prod = production(config, registry)
    derived, planned = plan(config, prod, registry)
    f = planned["feedback"]
    print(
        f"Retraining {prod.name} (production: model {prod.model_id}, {prod.path}) from {planned['start']}: "
        f"{planned['data']['rows']} rows of {planned['data']['source']}, {f['added']} corrections from "
        f"{f['source']}"
        + (f"; kept out: {f['asked_by_a_test_split']} asked by a test split" if f["asked_by_a_test_split"] else "")
        + (f"; {f['answered_by_the_data']} answered by the data" if f["answered_by_the_data"] else "")
    )
    stage_prepare(derived, options)
    summary = stage_train(derived, options)
    stage = config.retrain.stage
    before = registry.pointer(prod.name, stage)
    try:
        results = stage_evaluate(derived, options)
    except GateFailed as exc:
        kept = f"stays model {before.id}" if before else "stays unset"
        raise GateFailed(f"{exc}; not promoted: {prod.name} ({stage}) {kept}") from None
    now = registry.pointer(prod.name, "production")
    if now is None or now.id != prod.model_id:  # moved while this ran: the new model was compared with another
        raise ConfigError(
            f"{prod.name} (production) moved to model {now.id if now else 'none'} while this retrain compared the "
            f"new model with model {prod.model_id}: not promoted; retrain again, or promote it yourself",
            key="retrain.name",
        )
    result = str(derived.run.result(summary).resolve())
    model = next(m for m in reversed(registry.models()) if m.path == result)
    registry.promote(prod.name, model.id, stage)
    print(f"Promoted: {prod.name} ({stage}) → {result} (model {model.id}); `afina rollback {prod.name}` undoes it")
    return results


STAGES = {
    "run": Stage(run_pipeline, "the whole pipeline: prepare → train → evaluate", resume=True),
    "prepare": Stage(stage_prepare, "load, validate, deduplicate and split the data"),
    "pretrain": Stage(
        stage_pretrain,
        "train a small base model from scratch (tokenizer + Llama-style LM)",
        out="folder to write (default: AFINA_HOME/models/NAME/<recipe hash> of model.base_model)",
    ),
    "train": Stage(stage_train, "fine-tune the base model on the prepared data", resume=True),
    "evaluate": Stage(stage_evaluate, "compare the tuned model with its base on the test split"),
    "export": Stage(
        stage_export,
        "merge the run's adapter into its base: a standalone transformers model",
        out="folder to write (default: <run folder>/merged-model)",
        force="export a run whose evaluation gate failed too",
    ),
    "monitor": Stage(
        stage_monitor,
        "compare production inputs with the training data; exit 4 when they drifted",
        input="the inputs: the server's request log (AFINA_HOME/logs/requests.jsonl) or a JSONL/CSV of prompts",
    ),
    "search": Stage(
        stage_search,
        "search hyperparameters (search: section) with Optuna, each trial a run; the best config as a YAML",
        worker="join the study (search.study in search.storage) as one more worker, sharing its trial budget",
    ),
    "retrain": Stage(
        stage_retrain,
        "retrain the production model (retrain.name) on new data and feedback; promote it only if the gate passes",
    ),
    "merge": Stage(
        stage_merge,
        "combine adapters trained on different tasks into one (merge: section)",
        out="folder to write (default: merge.output, else <run folder>/merged)",
    ),
}
