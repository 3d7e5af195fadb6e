"""The lifecycle, stage by stage (results are printed even with --quiet, which hides only progress): each runs alone from the run folder, records its artifact in the
registry once it succeeded, and `run_pipeline` chains them (prepare → train → evaluate)."""

from __future__ import annotations

from pathlib import Path

from afina.config import Config, dump_config
from afina.registry import open_registry
from afina.runfolder import write_text_atomic


def _registry(config: Config):
    return open_registry(config.registry.url)


def _write_config(config: Config) -> None:
    write_text_atomic(config.run_dir / "config.yaml", dump_config(config))


def stage_prepare(config: Config, quiet: bool = False) -> dict:
    from afina.data import run_prepare

    report = run_prepare(config, config.run_dir)  # raises before anything is written or registered
    _write_config(config)
    _registry(config).add_dataset(config.run_dir / "data", report)
    s = report["splits"]
    print(f"Prepared {report['rows_kept']} of {report['rows_read']} rows ({report['kind']}): train "
          f"{s['train']['rows']}, validation {s['validation']['rows']}, test {s['test']['rows']}; "
          f"dropped {report['rows_dropped']} → {config.run_dir / 'data'}")
    if report["rows_planted"]:
        print(f"Planted {len(report['canaries'])} canaries in train ({report['rows_planted']} rows: "
              + ", ".join(f"{c['repeats']}×" for c in report["canaries"]) + ")")
    return report


def stage_pretrain(config: Config, out: Path | None = None, quiet: bool = False) -> Path:
    from afina.models import builtin_path
    from afina.models.pretrain import pretrain

    target = Path(out) if out else builtin_path(config.model.base_model)
    pretrain(config, target, quiet=quiet)
    _registry(config).add_model(None, "base", target.resolve(), parent=None)
    print(f"Base model saved to {target}")
    return target


def stage_train(config: Config, resume: bool = False, quiet: bool = False, callbacks=()) -> dict:
    from afina.data import load_data_report
    from afina.train import run_train

    _write_config(config)
    summary = run_train(config, config.run_dir, resume=resume, quiet=quiet, callbacks=callbacks)
    report = load_data_report(config.run_dir)
    registry = _registry(config)
    run_id = registry.record_run(config.run_dir, config.name, "trained", config.model_dump(mode="json"),
                                 method=config.method.name, base_model=summary["base_model"],
                                 data_hash=report["hash"], metrics={"train": summary})
    registry.add_model(run_id, summary["artifact"], (config.run_dir / summary["artifact"]).resolve(),
                       parent=summary["base_model"])
    print(f"Trained {summary['global_step']} steps, best validation loss {summary['best_eval_loss']} → "
          f"{config.run_dir / summary['artifact']}")
    return summary


def stage_evaluate(config: Config, quiet: bool = False) -> dict:
    """Evaluate, print the headline numbers and the gate; a failed gate marks the run in the registry and
    raises GateFailed (exit 3) after the report is written."""
    from afina.errors import GateFailed
    from afina.evaluate import headline, run_evaluate
    from afina.evaluate.gate import gate_table

    results = run_evaluate(config, config.run_dir, quiet=quiet)
    gate = results.get("gate")
    status = "evaluated" if gate is None else ("gate_passed" if gate["passed"] else "gate_failed")
    scores_by_model = headline(results["models"])
    _registry(config).record_run(config.run_dir, config.name, status, config.model_dump(mode="json"),
                                 metrics={"eval": scores_by_model, "gate": gate})
    for name, scores in scores_by_model.items():
        print(f"  {name:>5}: " + ", ".join(f"{k} {v:.3f}" for k, v in scores.items()))
    if "forgetting" in results:
        f = results["forgetting"]
        print(f"  forgetting ({f['metric']}): {f['forgetting']:.3f} [{f['ci'][0]:.3f}, {f['ci'][1]:.3f}]")
    print(f"Report: {(config.run_dir / 'eval' / 'report.html').resolve()}")
    if gate:
        print(gate_table(gate))
        if not gate["passed"]:
            failed = ", ".join(c["check"] for c in gate["checks"] if not c["passed"])
            raise GateFailed(f"the evaluation gate failed ({failed}); the run is marked gate_failed in the registry")
    return results


def run_pipeline(config: Config, resume: bool = False, quiet: bool = False) -> dict:
    from afina.train import resolve_task

    resolve_task(config)  # an unsupported method × model is refused before any work
    stage_prepare(config, quiet)
    stage_train(config, resume=resume, quiet=quiet)
    return stage_evaluate(config, quiet)


def stage_export(config: Config, out: Path | None = None, quiet: bool = False) -> Path:
    import json

    from afina.methods.export import export_merged

    summary = json.loads((config.run_dir / "train_summary.json").read_text())
    target = export_merged(config, config.run_dir, summary["task"], summary.get("labels"),
                           Path(out) if out else config.run_dir / "merged-model")
    registry = _registry(config)
    run_id = registry.record_run(config.run_dir, config.name, "exported", config.model_dump(mode="json"))
    registry.add_model(run_id, "merged", target.resolve(), parent=str((config.run_dir / "adapter").resolve()))
    print(f"Merged model saved to {target}")
    return target


def stage_merge(config: Config, quiet: bool = False) -> Path:
    from afina.methods.export import merge_adapters

    target = merge_adapters(config, Path(config.merge.output) if config.merge.output else config.run_dir / "merged")
    _registry(config).add_model(None, "adapter", target.resolve(),
                                parent=", ".join(str(Path(a).resolve()) for a in config.merge.adapters))
    print(f"Merged {len(config.merge.adapters)} adapters ({config.merge.combination}) into {target}")
    return target
