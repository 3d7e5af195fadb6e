"""`afina <stage> CONFIG`: one command per stage, `afina run CONFIG` for the pipeline.

Exit codes (DESIGN.md): 0 done; 2 the user's input is wrong; 3 an evaluation gate failed; 1 a bug
(its trace with --debug).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
import warnings

from afina.errors import AfinaError


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--set", dest="overrides", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="override a config value (repeatable), e.g. --set train.epochs=5")
    common.add_argument("--quiet", action="store_true", help="no progress bars or logs, only results and errors")
    common.add_argument("--debug", action="store_true", help="show the full trace of unexpected errors")

    parser = argparse.ArgumentParser(prog="afina", description="Fine-tune a language model on your data, "
                                     "evaluate it, and keep track of it.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in [("run", "the whole pipeline: prepare → train → evaluate"),
                       ("prepare", "load, validate, deduplicate and split the data"),
                       ("pretrain", "train a small base model from scratch (tokenizer + Llama-style LM)"),
                       ("train", "fine-tune the base model on the prepared data"),
                       ("evaluate", "compare the tuned model with its base on the test split"),
                       ("export", "merge the run's adapter into its base: a standalone transformers model"),
                       ("merge", "combine adapters trained on different tasks into one (merge: section)")]:
        p = sub.add_parser(name, parents=[common], help=text, description=text)
        p.add_argument("config", help="the YAML config file")
        if name in ("run", "train"):
            p.add_argument("--resume", action="store_true", help="continue from the run's last checkpoint")
        if name in ("pretrain", "export"):
            p.add_argument("--out", help="folder to write (pretrain: AFINA_HOME/models/NAME of model.base_model; "
                                         "export: <run folder>/merged-model)")
    runs = sub.add_parser("runs", parents=[common], help="list registered runs")
    runs.add_argument("--registry", help="a SQLAlchemy URL (default: sqlite under AFINA_HOME)")
    return parser


def _quiet_libraries(quiet: bool) -> None:
    import datasets

    warnings.filterwarnings("ignore", category=FutureWarning)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    datasets.disable_progress_bars()  # a bar per millisecond-long map() call hides the ones that matter
    if quiet:
        os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
        import transformers

        transformers.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()


def _list_runs(registry_url: str | None) -> None:
    from afina.registry import open_registry

    registry = open_registry(registry_url)
    runs = registry.runs()
    if not runs:
        print("No runs registered yet.")
        return
    print(f"{'name':<20} {'status':<10} {'method':<7} {'test F1 base→tuned':<19} {'created':<20} folder")
    for run in runs:
        scores = (run.metrics or {}).get("eval", {})
        f1 = "-"
        if "tuned" in scores and "token_f1" in scores["tuned"]:
            base = scores.get("base", {}).get("token_f1")
            f1 = f"{base:.2f}→{scores['tuned']['token_f1']:.2f}" if base is not None else f"{scores['tuned']['token_f1']:.2f}"
        print(f"{run.name:<20} {run.status:<10} {run.method or '-':<7} {f1:<19} "
              f"{run.created_at:%Y-%m-%d %H:%M:%S}  {run.run_dir}")


def _dispatch(args) -> None:
    from afina import pipeline
    from afina.config import load_config

    if args.command == "runs":
        _list_runs(args.registry)
        return
    config = load_config(args.config, args.overrides)
    if args.command == "run":
        pipeline.run_pipeline(config, resume=args.resume, quiet=args.quiet)
    elif args.command == "prepare":
        pipeline.stage_prepare(config, quiet=args.quiet)
    elif args.command == "pretrain":
        pipeline.stage_pretrain(config, out=args.out, quiet=args.quiet)
    elif args.command == "train":
        pipeline.stage_train(config, resume=args.resume, quiet=args.quiet)
    elif args.command == "evaluate":
        pipeline.stage_evaluate(config, quiet=args.quiet)
    elif args.command == "export":
        pipeline.stage_export(config, out=args.out, quiet=args.quiet)
    elif args.command == "merge":
        pipeline.stage_merge(config, quiet=args.quiet)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _quiet_libraries(args.quiet)
    try:
        _dispatch(args)
    except AfinaError as exc:
        print(f"afina: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("afina: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so, and show the trace only when asked
        if args.debug:
            traceback.print_exc()
        else:
            print(f"afina: unexpected error ({type(exc).__name__}: {exc}). Run again with --debug for the trace.",
                  file=sys.stderr)
        return 1
    return 0
