"""`afina <stage> CONFIG`: one command per stage of `pipeline.STAGES`, `afina run CONFIG` for the
pipeline, `afina runs` for the registry, `afina serve --model NAME` for the HTTP API.

Exit codes (docs/design.md): 0 done; 2 the user's input is wrong; 3 an evaluation gate failed; 4 the monitor
found drift; 1 a bug
(its trace with --debug), or training that diverged; 130 interrupted (Ctrl-C); 143 stopped by SIGTERM after
saving a checkpoint.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
import warnings

from afina.errors import AfinaError


def _parser() -> argparse.ArgumentParser:
    from afina.pipeline import STAGES

    flags = argparse.ArgumentParser(add_help=False)
    flags.add_argument("--quiet", action="store_true", help="no progress bars or logs, only results and errors")
    flags.add_argument("--debug", action="store_true", help="show the full trace of unexpected errors")
    common = argparse.ArgumentParser(add_help=False, parents=[flags])
    common.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="override a config value (repeatable), e.g. --set train.epochs=5",
    )

    parser = argparse.ArgumentParser(
        prog="afina", description="Fine-tune a language model on your data, evaluate it, and keep track of it."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, stage in STAGES.items():
        p = sub.add_parser(name, parents=[common], help=stage.help, description=stage.help)
        p.add_argument("config", help="the YAML config file")
        if stage.resume:
            p.add_argument("--resume", action="store_true", help="continue from the run's last checkpoint")
        if stage.out:
            p.add_argument("--out", help=stage.out)
        if stage.force:
            p.add_argument("--force", action="store_true", help=stage.force)
        if stage.input:
            p.add_argument("--input", required=True, help=stage.input)
        if stage.worker:
            p.add_argument("--worker", action="store_true", help=stage.worker)
    reward = sub.add_parser("reward", help="use a reward model").add_subparsers(dest="action", required=True)
    score = reward.add_parser(
        "score",
        parents=[common],
        help="score answers by the run's reward model (or align.reward_model)",
        description="Score each answer of a prompt/completion or chat file by a reward model: the run's own, when "
        "its objective is reward, else align.reward_model. Prints JSONL, each row with its reward, or writes --out.",
    )
    score.add_argument("config", help="the YAML config file")
    score.add_argument("--input", required=True, help="prompt/completion or chat records whose answers to score")
    score.add_argument("--out", help="a JSONL file to write (default: print)")
    _serve_parser(sub, flags)
    feedback = sub.add_parser("feedback", help="users' feedback from the server").add_subparsers(
        dest="action", required=True
    )
    export = feedback.add_parser(
        "export",
        parents=[flags],
        help="write the registry's feedback as SFT and preference records",
        description="Write the feedback users gave on served answers as training data that `afina prepare` takes: "
        "OUT/sft.jsonl (chat records from corrections) and OUT/preferences.jsonl (prompt/chosen/rejected pairs from "
        "side-by-side choices, corrections against the answer they correct, and up- against down-rated answers "
        "to the same prompt).",
    )
    export.add_argument("--out", required=True, help="the folder to write")
    export.add_argument("--registry", help="a SQLAlchemy URL (default: sqlite under AFINA_HOME)")
    promote = sub.add_parser("promote", parents=[flags], help="point a name (production, staging) at a run's model",
                             description="Point NAME at STAGE to RUN's newest result (RUN:merged for its merged "
                             "export). Servers started with --model NAME@STAGE serve it within seconds.")  # fmt: skip
    promote.add_argument("run", help="a registered run's name")
    promote.add_argument("--as", dest="name", help="the name to point (default: the run's)")
    rollback = sub.add_parser("rollback", parents=[flags], help="point a name back to its model before",
                              description="Point NAME at STAGE back to the model it pointed to before the "
                              "current one.")  # fmt: skip
    rollback.add_argument("name")
    for p in (promote, rollback):
        p.add_argument("--stage", default="production", choices=["production", "staging"])
        p.add_argument("--registry", help="a SQLAlchemy URL (default: sqlite under AFINA_HOME)")
    keys = sub.add_parser("keys", help="named API keys of afina serve, kept hashed in the registry")
    keys_actions = keys.add_subparsers(dest="action", required=True)
    for action, text in (("add", "make a key (printed once) and store its hash"), ("revoke", "stop a key"),
                         ("list", "the keys' names, dates and states")):  # fmt: skip
        k = keys_actions.add_parser(action, parents=[flags], help=text, description=text)
        if action != "list":
            k.add_argument("name")
        k.add_argument("--registry", help="a SQLAlchemy URL (default: sqlite under AFINA_HOME)")
    runs = sub.add_parser("runs", parents=[common], help="list registered runs")
    where = runs.add_mutually_exclusive_group()
    where.add_argument("--registry", help="a SQLAlchemy URL (default: sqlite under AFINA_HOME)")
    where.add_argument("--config", help="a config file: the registry its registry.url names")
    return parser


def _serve_parser(sub, flags) -> None:
    p = sub.add_parser(
        "serve",
        parents=[flags],
        help="serve models over an OpenAI-compatible HTTP API",
        description="Serve registered runs or model folders over an OpenAI-compatible API (/v1/chat/completions, "
        "/v1/completions, /v1/models, /metrics). Every LoRA adapter of a base shares one copy of it; the base is "
        "served too. Without --api-key (or AFINA_API_KEY) a key is made and printed.",
    )
    p.add_argument("--model", action="append", required=True, metavar="NAME|PATH|ID=PATH",
                   help="a registered run's name (NAME:merged for its merged export), a model, adapter or run "
                   "folder, or ID=PATH to choose the id clients use (repeatable)")  # fmt: skip
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--api-key", action="append", default=[], help="a key clients must send (repeatable)")
    p.add_argument("--no-api-key", action="store_true", help="serve without keys (local experiments only)")
    p.add_argument("--registry", help="a SQLAlchemy URL (default: sqlite under AFINA_HOME)")
    p.add_argument("--max-batch", type=int, default=32, help="answers generated together (default 32)")
    p.add_argument("--max-waiting", type=int, default=64, help="answers that may wait; beyond them, 429")
    p.add_argument(
        "--adapter-memory",
        type=int,
        default=1024,
        metavar="MB",
        help="adapters kept loaded per base, in MB; the least recently used go first (default 1024)",
    )
    p.add_argument("--max-tokens", type=int, default=1024, help="the most tokens one answer may ask for")
    p.add_argument("--max-n", type=int, default=8, help="the most answers one request may ask for")
    p.add_argument("--request-log", help="JSONL of requests (default AFINA_HOME/logs/requests.jsonl)")
    p.add_argument("--log-pii", action="store_true", help="do not redact personal data in the request log")
    p.add_argument("--print-vllm", action="store_true",
                   help="print the `vllm serve` commands of the same ids and adapters, and exit")  # fmt: skip


def _serve(args) -> None:
    from pathlib import Path

    from afina.registry import open_registry
    from afina.runfolder import afina_home
    from afina.serve import print_vllm, serve

    if args.print_vllm:
        print_vllm(args.model, open_registry(args.registry))
        return
    log = Path(args.request_log) if args.request_log else afina_home() / "logs" / "requests.jsonl"
    serve(
        args.model, args.host, args.port, args.api_key, args.no_api_key, open_registry(args.registry),
        args.max_batch, args.max_waiting, args.adapter_memory, log, args.log_pii, args.max_tokens, args.max_n,
    )  # fmt: skip


def _promotion(args) -> None:
    from afina.registry import open_registry
    from afina.serve import resolve

    registry = open_registry(args.registry)
    if args.command == "rollback":
        model = registry.rollback(args.name, args.stage)
        print(f"{args.name} ({args.stage}) → {model.path} (model {model.id}, rolled back)")
        return
    path = str(resolve(args.run, registry).path)
    model = next(m for m in reversed(registry.models()) if m.path == path)
    name = args.name or args.run.partition(":")[0]
    registry.promote(name, model.id, args.stage)
    print(f"{name} ({args.stage}) → {model.path} (model {model.id})")


def _keys(args) -> None:
    from afina.registry import open_registry
    from afina.serve import add_key

    registry = open_registry(args.registry)
    if args.action == "add":
        print(add_key(registry, args.name))
        print(f"the key '{args.name}' above is shown once; servers on this registry take it", file=sys.stderr)
    elif args.action == "revoke":
        registry.revoke_api_key(args.name)
        print(f"revoked '{args.name}'")
    else:
        for k in registry.api_keys():
            print(f"{k.name:<24} {k.created_at:%Y-%m-%d %H:%M:%S}  {'revoked' if k.revoked else 'active'}")


def _feedback_export(args) -> None:
    import json
    from pathlib import Path

    from afina.align.feedback import feedback_records
    from afina.registry import open_registry
    from afina.runfolder import write_text_atomic

    exported = feedback_records(open_registry(args.registry).feedback())
    out = Path(args.out)
    for name, records in (("sft.jsonl", exported.sft), ("preferences.jsonl", exported.preferences)):
        if records:
            write_text_atomic(out / name, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    c = exported.counts
    where = lambda records, name: out / name if records else "none written"  # noqa: E731
    print(f"{len(exported.sft)} chat records from corrections → {where(exported.sft, 'sft.jsonl')}")
    print(
        f"{len(exported.preferences)} preference pairs ({c['from_choices']} from choices, {c['from_corrections']} "
        f"from corrections, {c['from_ratings']} from ratings) → "
        f"{where(exported.preferences, 'preferences.jsonl')}"
    )
    if c["not_single_message"]:
        print(f"{c['not_single_message']} pairs not written: their prompt is more than one user message")


def _quiet_libraries(quiet: bool) -> None:
    """Progress bars only where they help (afina.terminal: on a terminal); with --quiet, only results and
    errors."""
    import datasets

    from afina.terminal import bars

    warnings.filterwarnings("ignore", category=FutureWarning)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    datasets.disable_progress_bars()  # a bar per millisecond-long map() call hides the ones that matter
    if not bars(quiet):
        os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
        import transformers

        transformers.utils.logging.disable_progress_bar()
    if quiet:
        os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
        import transformers

        transformers.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()


def _list_runs(registry_url: str | None) -> None:
    """`afina runs`: one line per registered run."""
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
            f1 = (
                f"{base:.2f}→{scores['tuned']['token_f1']:.2f}"
                if base is not None
                else f"{scores['tuned']['token_f1']:.2f}"
            )
        print(
            f"{run.name:<20} {run.status:<10} {run.method or '-':<7} {f1:<19} "
            f"{run.created_at:%Y-%m-%d %H:%M:%S}  {run.run_dir}"
        )


def _dispatch(args) -> None:
    from pathlib import Path

    from afina.config import load_config
    from afina.pipeline import STAGES, Options

    if args.command == "serve":
        _serve(args)
        return
    if args.command == "feedback":
        _feedback_export(args)
        return
    if args.command == "keys":
        _keys(args)
        return
    if args.command in ("promote", "rollback"):
        _promotion(args)
        return
    if args.command == "runs":
        _list_runs(load_config(args.config, args.overrides).registry.url if args.config else args.registry)
        return
    config = load_config(args.config, args.overrides)
    out = getattr(args, "out", None)
    options = Options(
        resume=getattr(args, "resume", False),
        quiet=args.quiet,
        out=Path(out) if out else None,
        force=getattr(args, "force", False),
        input=Path(args.input) if getattr(args, "input", None) else None,
        worker=getattr(args, "worker", False),
    )
    if args.command == "reward":
        from afina.pipeline import reward_score

        reward_score(config, options)
        return
    STAGES[args.command].run(config, options)


def main(argv: list[str] | None = None) -> int:
    """The `afina` command: parse, dispatch, and map errors to exit codes; returns the exit code."""
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
            print(
                f"afina: unexpected error ({type(exc).__name__}: {exc}). Run again with --debug for the trace.",
                file=sys.stderr,
            )
        return 1
    return 0
