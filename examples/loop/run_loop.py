"""The loop demo (`make demo-loop`, docs/demo.md "The loop"): the next months of Lumbre Hogar, each step an
afina command and what it must answer.

1. lumbre-v1 (examples/loop/lumbre.yaml, the quickstart's LoRA with replay) is trained and promoted as
   "lumbre"; `afina serve` serves lumbre@production.
2. The months: prices and hours change, a new product line arrives (examples/loop/months.py). Customers ask
   the server (consultas.jsonl), and mark its answers: thumbs up when right, down with the right answer as
   a correction when wrong, down when the FAQ has no answer at all.
3. `afina monitor` flags the drift in the request log (exit 4); on day one, on a window of the training
   distribution (its validation split), it flagged none (exit 0).
4. A retrain fed a broken corrections file (correcciones_rotas.jsonl: the FAQ's unchanged answers all
   "#¡REF!") learns the new facts and unlearns the old: its gate refuses it (exit 3), production stays.
5. `afina retrain` (examples/loop/retrain.yaml) learns the new facts from the newest data and the users'
   corrections, keeps the unchanged ones, and is promoted (exit 0); the running server answers with it.
6. `afina rollback lumbre`: the server answers with lumbre-v1 again, without a restart.

Every command's exit code is checked, and a table of the models' numbers printed at the end; any step that
does not answer what it should stops the demo with exit 1.

    python examples/loop/run_loop.py                    # the demo (a few minutes per training)
    python examples/loop/run_loop.py --smoke TINY_BASE  # the same steps on a tiny base, for the tests
"""

from __future__ import annotations

import argparse
import json
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
import make_faq  # noqa: E402
import months  # noqa: E402

KEY = secrets.token_hex(16)
PROBE = "¿Cuánto cuesta la cafetera Brisa?"  # a changed fact: v1 says 89 euros, the retrain 95


def smoke_overrides(base: str) -> tuple[list[str], list[str], list[str]]:
    """(v1's, the good retrain's, the broken retrain's) --set for a tiny base: the slow checks off, a few
    hundred steps each. A tiny model learns too little for any gate to tell the two retrains apart, so the
    smoke holds the good one to a gain in the loss of the reference answers that it reaches, and the broken
    one to an exact match it cannot reach: both outcomes' steps run; the decisions themselves are the full
    demo's (and tests/retrain/test_retrain.py's)."""
    quiet = [f"evaluate.{check}.enabled=false" for check in ("memorization", "safety", "bias")]
    quiet += ["evaluate.max_new_tokens=8", "evaluate.retain_rows=10", "monitor.permutations=200"]
    steps = ["train.max_steps=200", "train.eval_steps=100", "train.learning_rate=1e-2", "train.bf16=false", *quiet]
    v1 = [f"model.base_model={base}", *steps, "train.replay=0", "gate={}"]
    retrain = [*steps, "train.replay=0.5"]
    return (
        v1,
        [*retrain, "gate={metric: loss, min_task_gain: 0.02}"],
        [*retrain, "gate={metric: exact_match, min_task_gain: 0.5}"],
    )


class Step:
    """Runs afina commands from the project's root, checking each one's exit code."""

    def __init__(self):
        self.timings: list[tuple[str, float, int]] = []

    def __call__(self, what: str, args: list[str], expect: int = 0) -> None:
        print(f"\n== {what}: afina {' '.join(args)}", flush=True)
        start = time.monotonic()
        code = subprocess.run([sys.executable, "-m", "afina", *args], cwd=ROOT).returncode
        self.timings.append((what, time.monotonic() - start, code))
        if code != expect:
            raise SystemExit(f"run_loop: {what}: afina exited {code}, expected {expect}")


class Server:
    """`afina serve --model lumbre@production` in a process of its own (a context manager), and a customer's
    calls to it."""

    def __init__(self, registry: str, log: Path):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.args = ["serve", "--model", "lumbre@production", "--registry", registry, "--request-log", str(log),
                     "--api-key", KEY, "--port", str(self.port)]  # fmt: skip

    def __enter__(self) -> Server:
        print(f"\n== serving: afina {' '.join(self.args).replace(KEY, 'KEY')}", flush=True)
        self.process = subprocess.Popen([sys.executable, "-m", "afina", *self.args], cwd=ROOT)
        try:
            deadline = time.monotonic() + 300
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2):
                        return self
                except OSError:  # not listening yet (refused, reset, timed out)
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("run_loop: afina serve did not start") from None
                    time.sleep(0.5)
        except BaseException:
            self.__exit__()
            raise

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _post(self, route: str, body: dict) -> dict:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{route}", json.dumps(body).encode(),
            {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())

    def ask(self, question: str) -> tuple[str, str]:
        """(the completion's id, the answer), greedy."""
        reply = self._post("/v1/chat/completions", {"model": "lumbre", "temperature": 0, "max_tokens": 48,
                           "messages": [{"role": "user", "content": question}]})  # fmt: skip
        return reply["id"], reply["choices"][0]["message"]["content"]

    def feedback(self, completion_id: str, **what) -> None:
        self._post("/v1/feedback", {"completion_id": completion_id, **what})

    def answer_changes(self, before: str, within: float = 120) -> str:
        """The probe's answer once it is no longer `before` (the server follows the pointer every 5 s)."""
        deadline = time.monotonic() + within
        while (answer := self.ask(PROBE)[1]) == before:
            if time.monotonic() > deadline:
                raise SystemExit(f"run_loop: the server still answers {before!r} after {within:.0f} s")
            time.sleep(2)
        return answer


def pointer(registry: str) -> str:
    """The run whose model lumbre (production) points to."""
    from afina.registry import open_registry

    model = open_registry(registry).pointer("lumbre")
    return Path(model.path).parent.name if model else "none"


def sets(items: list[str]) -> list[str]:
    return [arg for item in items for arg in ("--set", item)]


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def the_months(server: Server, data: Path) -> dict:
    """Every question of consultas.jsonl asked, and marked as a customer who knows the answer would."""
    marks = {"up": 0, "down": 0, "corrections": 0}
    for row in map(json.loads, (data / "consultas.jsonl").read_text(encoding="utf-8").splitlines()):
        completion, answer = server.ask(row["prompt"])
        if row["answer"] and _fold(answer) == _fold(row["answer"]):
            server.feedback(completion, rating="up")
            marks["up"] += 1
            continue
        server.feedback(completion, rating="down")
        marks["down"] += 1
        if row["answer"]:
            server.feedback(completion, correction=row["answer"])
            marks["corrections"] += 1
    return marks


def _eval(out: Path, run: str) -> dict:
    return json.loads((out / run / "eval" / "eval.json").read_text(encoding="utf-8"))


def table(out: Path, metric: str) -> str:
    """The three models side by side: on the new and changed facts (the retrains' test), on lumbre-v1's own
    test questions whose answers did not change, their forgetting, and each gate."""
    v1, bad, v2 = (_eval(out, r) for r in ("lumbre-v1", "lumbre-v2-rota", "lumbre-v2"))

    def score(scores: dict) -> str:
        low, high = scores["intervals"][metric]
        return f"{scores[metric]:.3f} [{low:.3f}, {high:.3f}]"

    def row(name: str, measured: dict, model: str, own: dict) -> str:
        """`model` ("base": production, "tuned": the retrain) as `measured` (a retrain's eval) scored it."""
        gate = "—" if "gate" not in own else "pass" if own["gate"]["passed"] else "refused"
        cells = [name, score(measured["models"][model]), score(measured["regression"][model]),
                 f"{own['forgetting']['forgetting']:.3f}" if "forgetting" in own else "—", gate]  # fmt: skip
        return "| " + " | ".join(cells) + " |"

    kept, gone = v2["regression"]["rows"], v2["regression"]["superseded"]
    head = ["model", f"new and changed facts, {metric} ({v2['test_rows']} held out)",
            f"lumbre-v1's test, unchanged facts ({kept}; {gone} superseded)",
            "forgetting (v1: against its base; the retrains: against v1)", "gate"]  # fmt: skip
    return "\n".join([
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
        row("lumbre-v1", v2, "base", v1),
        row("lumbre-v2-rota (broken corrections)", bad, "tuned", bad),
        row("lumbre-v2", v2, "tuned", v2),
    ])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", metavar="BASE", help="a tiny base model folder: the same steps, in seconds")
    parser.add_argument("--out", default="runs/loop", help="the run folders, registry and logs (default runs/loop)")
    parser.add_argument("--data", default="examples/data/loop", help="the months' data (default examples/data/loop)")
    args = parser.parse_args(argv)
    out, data = (ROOT / args.out).resolve(), (ROOT / args.data).resolve()
    registry = f"sqlite:///{out / 'registry.db'}"
    v1_set, good_set, broken_set = smoke_overrides(args.smoke) if args.smoke else ([], [], [])
    where = [f"output_dir={out}", f"registry.url={registry}"]
    news = [f"data.path={data / 'novedades.csv'}", f"data.test_path={data / 'novedades_test.csv'}"]
    step, started = Step(), time.monotonic()

    if out.exists() and any(out.iterdir()) and not (out / "registry.db").is_file():
        raise SystemExit(f"run_loop: {out} holds something other than this demo's runs: give another --out")
    shutil.rmtree(out, ignore_errors=True)  # the demo starts from nothing: its own registry, its own runs
    out.mkdir(parents=True)
    print("wrote", *make_faq.write_faq(str(ROOT / "examples" / "data" / "faq_soporte.csv")))
    print("wrote", *months.write_months(str(data)))

    v1 = sets(where + v1_set)
    step("production, trained", ["run", "examples/loop/lumbre.yaml", "--quiet", *v1])
    step("production, promoted", ["promote", "lumbre-v1", "--as", "lumbre", "--registry", registry])

    # day one: a window like the training data (its validation split), and no feedback yet
    monitor = ["monitor", "examples/loop/lumbre.yaml", "--quiet", *v1]
    same = out / "lumbre-v1" / "data" / "validation.jsonl"
    step("no drift on the training distribution", [*monitor, "--input", str(same)], expect=0)

    with Server(registry, out / "requests.jsonl") as server:
        before = server.ask(PROBE)[1]
        print(f"lumbre-v1: {PROBE} → {before}")
        marks = the_months(server, data)
        print(f"the months: {sum(marks.values()) - marks['corrections']} answers rated, {marks}")
        step("drift on the months' questions", [*monitor, "--input", str(out / "requests.jsonl")], expect=4)

        retrain = ["retrain", "examples/loop/retrain.yaml", "--quiet", *sets(where + news)]
        broken = ["name=lumbre-v2-rota", f"retrain.feedback={data / 'correcciones_rotas.jsonl'}", *broken_set]
        step("a retrain on broken corrections, refused", [*retrain, *sets(broken)], expect=3)
        if pointer(registry) != "lumbre-v1":
            raise SystemExit("run_loop: a refused retrain moved lumbre (production)")
        step("a retrain on the newest data and the users' corrections, promoted", [*retrain, *sets(good_set)])
        if pointer(registry) != "lumbre-v2":
            raise SystemExit("run_loop: the promoted retrain is not lumbre (production)")
        after = server.answer_changes(before)
        print(f"lumbre-v2, served without a restart: {PROBE} → {after}")
        step("rollback", ["rollback", "lumbre", "--registry", registry])
        if pointer(registry) != "lumbre-v1" or server.answer_changes(after) != before:
            raise SystemExit("run_loop: after the rollback the server does not answer as lumbre-v1 did")
        print(f"rolled back, served without a restart: {PROBE} → {before}")

    metric = "loss" if args.smoke else "exact_match"
    print("\n" + table(out, metric) + "\n")
    for what, seconds, code in step.timings:
        print(f"{seconds:7.1f} s  exit {code}  {what}")
    print(f"{time.monotonic() - started:7.1f} s  in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
