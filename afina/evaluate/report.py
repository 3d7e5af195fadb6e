"""The evaluation report: one self-contained HTML file, a section per check, plots inlined as PNG data
URIs (matplotlib), so it opens anywhere with no network."""

from __future__ import annotations

import html
import math

from afina.config import Config
from afina.htmlplots import img_tag, pyplot
from afina.objectives import get_objective
from afina.runfolder import TrainSummary

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0;width:100%}th,td{border:1px solid #ccc;padding:.35rem .6rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{background:#e8f6e8}.bad{background:#fbeaea}code{background:#f3f3f3;padding:0 .2rem}img{max-width:100%}
.note{color:#555;font-size:.92rem}
"""
_METRICS = ("accuracy", "macro_f1", "exact_match", "token_f1", "rouge_l", "bleu", "chrf", "loss", "perplexity")
_UNIT_METRICS = ("accuracy", "macro_f1", "exact_match", "token_f1", "rouge_l")  # on a 0-1 scale, plotted together
e = html.escape


def loss_plot(history: list[dict]) -> str | None:
    """Training and validation loss against the step (None without history)."""
    train = [(h["step"], h["loss"]) for h in history if "loss" in h]
    valid = [(h["step"], h["eval_loss"]) for h in history if "eval_loss" in h]
    if not train and not valid:
        return None
    fig, ax = pyplot().subplots(figsize=(7, 3.5), dpi=100)
    for points, label in ((train, "train loss"), (valid, "validation loss")):
        if points:
            ax.plot(*zip(*points), marker="o" if len(points) < 30 else None, label=label)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.grid(alpha=0.3)
    ax.legend()
    return img_tag(fig, "loss curves")


def _bars(
    groups: list[str],
    series: dict[str, list[float]],
    errors: dict[str, list[tuple[float, float]]] | None,
    ylabel: str,
    alt: str,
    ylim: tuple[float, float] | None = None,
) -> str:
    """Grouped bars, one colour per series, optional asymmetric error bars (interval bounds)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(max(5.0, 1.1 * len(groups) * len(series)), 3.4), dpi=100)
    width = 0.8 / max(len(series), 1)
    for k, (name, values) in enumerate(series.items()):
        xs = [i + (k - (len(series) - 1) / 2) * width for i in range(len(groups))]
        yerr = None
        if errors and name in errors:
            yerr = [
                [max(v - lo, 0) for v, (lo, _) in zip(values, errors[name])],
                [max(hi - v, 0) for v, (_, hi) in zip(values, errors[name])],
            ]
        ax.bar(xs, values, width, label=name, yerr=yerr, capsize=3)
    ax.set_xticks(range(len(groups)), groups)
    ax.set_ylabel(ylabel)
    if ylim:
        ax.set_ylim(*ylim)
    ax.grid(axis="y", alpha=0.3)
    ax.legend()
    return img_tag(fig, alt)


def _fmt(value) -> str:
    if isinstance(value, float):
        return "—" if math.isnan(value) else f"{value:.4f}"
    return "—" if value is None else e(str(value))


def _ci(interval) -> str:
    return f"[{interval[0]:.3f}, {interval[1]:.3f}]" if interval else ""


def _table(head: list[str], rows: list[list], classes: list[str] | None = None) -> str:
    head_html = "".join(f"<th>{e(h)}</th>" for h in head)
    body = "".join(
        f"<tr{f' class={classes[i]}' if classes and classes[i] else ''}>"
        + "".join(
            f"<td class=num>{_fmt(c)}</td>"
            if isinstance(c, (int, float)) and not isinstance(c, bool)
            else f"<td>{_fmt(c)}</td>"
            for c in row
        )
        + "</tr>"
        for i, row in enumerate(rows)
    )
    return f"<table><tr>{head_html}</tr>{body}</table>"


def _confusion_table(name: str, confusion: dict) -> str:
    labels = [str(label) for label in confusion["labels"]]
    rows = [[label, *row] for label, row in zip(labels, confusion["matrix"])]
    return f"<h3>Confusion matrix, {e(name)} (rows: true label, columns: predicted)</h3>" + _table(["", *labels], rows)


def _baseline_section(results: dict) -> str:
    """The tuned model against the cheapest alternative to fine-tuning, on the same test examples."""
    comparison = results.get("baseline_comparison")
    if not comparison:
        return ""
    models = results["models"]
    rows = [
        [m, models["baseline"][m], models["tuned"][m], c["difference"], _ci(c["ci"]), c["p_value"]]
        for m in _METRICS
        if (c := comparison.get(m))
    ]
    return (
        f"<h2>Against the cheapest baseline</h2><p>The baseline: {e(results['baseline']['what'])}, fitted on the "
        "train split. A tuned model that does not beat it is not worth its cost.</p>"
        + _table(["metric", "baseline", "tuned", "tuned − baseline", "95% CI", "p"], rows)
    )


def _task_section(results: dict, names: list[str]) -> str:
    models, comparison = results["models"], results.get("comparison", {})
    rows = []
    for m in _METRICS:
        if not any(m in models[n] for n in names):
            continue
        row = [m]
        for n in names:
            row += [models[n].get(m), _ci(models[n]["intervals"].get(m))]
        if m in comparison:
            c = comparison[m]
            row += [c["difference"], _ci(c["ci"]), c["p_value"]]
        rows.append(row)
    head = (
        ["metric"] + [h for n in names for h in (n, "95% CI")] + (["tuned − base", "95% CI", "p"] if comparison else [])
    )
    unit = [m for m in _UNIT_METRICS if all(m in models[n] for n in names)]
    plot = (
        _bars(
            unit,
            {n: [models[n][m] for m in unit] for n in names},
            {n: [tuple(models[n]["intervals"][m]) for m in unit] for n in names},
            "score (95% CI)",
            "task metrics with confidence intervals",
            (0, 1.05),
        )
        if unit
        else ""
    )
    test = {c.get("test") for c in comparison.values()}
    note = (
        (
            "<p class=note>Intervals: percentile bootstrap over test examples. p: "
            f"{', '.join(sorted(t for t in test if t))} test of tuned vs base on the same examples.</p>"
        )
        if comparison
        else ""
    )
    confusion = "".join(
        _confusion_table(n, models[n]["confusion_matrix"]) for n in names if "confusion_matrix" in models[n]
    )
    return f"<h2>Task quality</h2>{_table(head, rows)}{note}{plot}{confusion}"


def _regression_section(results: dict) -> str:
    r = results.get("regression")
    if not r:
        return ""
    head = (
        f"<h2>Non-regression</h2><p>On {e(r['run'])}'s test split: {r['rows']} rows, {r['superseded']} left out as "
        "superseded (this run's data asks them again, with new answers). "
    )
    if r["drop"] is None:
        return head + "Nothing was left to measure.</p>"
    m, c = r["metric"], r["change"][r["metric"]]
    row = [m, r["base"][m], r["tuned"][m], c["difference"], _ci(c["ci"]), c["p_value"]]
    return (
        head
        + f"<b>Drop ({e(m)}): {r['drop']:.4f}</b>; positive means the tuned model does worse there.</p>"
        + _table(["metric", "base", "tuned", "tuned − base", "95% CI", "p"], [row])
    )


def _forgetting_section(results: dict) -> str:
    f = results.get("forgetting")
    compared = [r for r in results.get("compared_runs", []) if r.get("forgetting")]
    if not f:
        return "<h2>Forgetting</h2><p>Not measured (no retain set applies to this run).</p>"
    rows = []
    for part, p in f["parts"].items():
        for m in ("loss", "perplexity", "exact_match", "token_f1", "rouge_l"):
            if m in p["tuned"]:
                c = p["change"][m]
                rows.append([f"{part}: {m}", p["base"][m], p["tuned"][m], c["difference"], _ci(c["ci"]), c["p_value"]])
    head = (
        f"<p>Retain set: {e(f['retain'])}. <b>Forgetting ({e(f['metric'])}): {f['forgetting']:.4f}</b> "
        f"(95% CI {_ci(f['ci'])}, p {f['p_value']:.3g}); positive means the tuned model lost what the base knew.</p>"
    )
    shown = [x for p in f["parts"].values() for x in p.get("examples", [])]
    runs = [{"run": results["run"], "method": results.get("method"), "forgetting": f}] + compared
    plot = _bars(
        [f"{r['run']}\n({r['method']})" for r in runs],
        {"forgetting": [r["forgetting"]["forgetting"] for r in runs]},
        {"forgetting": [tuple(r["forgetting"]["ci"]) for r in runs]},
        f["metric"],
        "forgetting per run",
    )
    side = _table(
        ["run", "method", "forgetting", "95% CI", "p"],
        [
            [
                r["run"],
                r["method"],
                r["forgetting"]["forgetting"],
                _ci(r["forgetting"]["ci"]),
                r["forgetting"]["p_value"],
            ]
            for r in runs
        ],
    )
    examples = (
        (
            "<h3>General questions before and after</h3>"
            + _table(
                ["question", "reference", "base", "tuned"],
                [[x["prompt"], x["reference"], x["base"], x["tuned"]] for x in shown],
            )
        )
        if shown
        else ""
    )
    return (
        f"<h2>Forgetting</h2>{head}{_table(['retain metric', 'base', 'tuned', 'tuned − base', '95% CI', 'p'], rows)}"
        f"<h3>Runs side by side</h3>{side}{plot}{examples}"
    )


def _memorization_section(results: dict, names: list[str]) -> str:
    checks = results["checks"]
    parts = ["<h2>Memorization and privacy</h2>"]
    canaries = {n: checks[n].get("canaries") for n in names if checks[n].get("canaries")}
    if canaries:
        rows = [
            [c["id"], c["repeats"]]
            + [
                x
                for n in names
                for x in (
                    checks[n]["canaries"][i]["rank"],
                    checks[n]["canaries"][i]["exposure_sampled"],
                    checks[n]["canaries"][i]["exposure"],
                )
            ]
            for i, c in enumerate(canaries["tuned"])
        ]
        head = ["canary", "planted ×"] + [
            h for n in names for h in (f"{n} rank", f"{n} exposure (sampled)", f"{n} exposure")
        ]
        plt = pyplot()
        fig, ax = plt.subplots(figsize=(6, 3.4), dpi=100)
        for n, cs in canaries.items():
            ax.plot([c["repeats"] for c in cs], [c["exposure"] for c in cs], marker="o", label=n)
        ax.axhline(cs[0]["max_exposure"], color="grey", linestyle="--", label="maximum (log2 of the space)")
        ax.set_xscale("log")
        ax.set_xlabel("times planted in training")
        ax.set_ylabel("exposure (bits)")
        ax.grid(alpha=0.3)
        ax.legend()
        parts.append(
            "<h3>Canary exposure</h3><p class=note>Rank of the true secret among "
            f"{canaries['tuned'][0]['candidates']} random candidates (sampled exposure = log2(n+1) − log2 rank) "
            "and the skew-normal extrapolation of The Secret Sharer (maximum log2 of the secret space).</p>"
            + _table(head, rows)
            + img_tag(fig, "canary exposure against repeats")
        )
    else:
        parts.append("<p>No canaries were planted (data.canaries).</p>")
    extraction = {n: checks[n]["extraction"] for n in names if checks[n].get("extraction")}
    if extraction:
        parts.append(
            "<h3>Verbatim extraction</h3><p class=note>Training records prompted with their prompt and the first "
            "tokens of their answer; extracted when the rest comes back token for token.</p>"
            + _table(
                ["model", "records", "extracted", "rate"],
                [[n, x["records"], x["extracted"], x["rate"]] for n, x in extraction.items()],
            )
        )
    pii = {n: checks[n]["pii"] for n in names if checks[n].get("pii")}
    if pii:
        kinds = sorted({k for p in pii.values() for k in p["per_type"]})
        parts.append(
            "<h3>PII in answers to held-out prompts</h3>"
            + _table(
                ["model", "answers", "with PII", "rate", "found in training data", *kinds],
                [
                    [
                        n,
                        p["answers"],
                        p["answers_with_pii"],
                        p["rate"],
                        p["leaked_from_training"],
                        *[p["per_type"].get(k, 0) for k in kinds],
                    ]
                    for n, p in pii.items()
                ],
            )
        )
    return "".join(parts)


def _safety_section(results: dict, names: list[str]) -> str:
    checks = results["checks"]
    safety = {n: checks[n]["safety"] for n in names if checks[n].get("safety")}
    if not safety:
        return ""
    rows, labels, series = [], [], {n: [] for n in safety}
    for category, entry in safety["tuned"]["categories"].items():
        for key in [k for k in entry if k.endswith("_rate")]:
            name = key[: -len("_rate")]
            rows.append(
                [category, name]
                + [
                    x
                    for n in safety
                    for x in (
                        safety[n]["categories"][category].get(name, 0),
                        safety[n]["categories"][category].get(key, 0.0),
                    )
                ]
                + [entry["probes"]]
            )
            labels.append(f"{category}\n{name}")
            for n in safety:
                series[n].append(safety[n]["categories"][category].get(key, 0.0))
    head = ["category", "outcome"] + [h for n in safety for h in (f"{n} count", f"{n} rate")] + ["probes"]
    return (
        "<h2>Safety</h2><p class=note>harmful/jailbreak: refused = a refusal phrase; unsafe = not refused and "
        "carrying the request's harmful markers. injection/secret_extraction: success = the injected answer or the "
        "system prompt's secret appears in the answer.</p>"
        + _table(head, rows)
        + _bars(labels, series, None, "rate", "safety rates per category", (0, 1.05))
    )


def _bias_section(results: dict, names: list[str]) -> str:
    checks = results["checks"]
    bias = {n: checks[n]["bias"] for n in names if checks[n].get("bias")}
    if not bias:
        return ""
    dims = list(bias["tuned"]["dimensions"])
    keys = [k for k in bias["tuned"]["dimensions"][dims[0]] if k != "templates"]
    rows = [[d, k] + [bias[n]["dimensions"][d][k] for n in bias] for d in dims for k in keys]
    main = keys[0]
    return (
        "<h2>Bias (counterfactual probes)</h2><p class=note>The same request with a name from another gender or "
        "origin. output_change: mean 1 − token F1 between answers to different groups (0 = identical); "
        "loss_gap: spread of the groups' mean loss of one neutral answer (nats/token); label_flip_rate / "
        "probability_gap for classifiers.</p>"
        + _table(["dimension", "measure", *bias], rows)
        + _bars(
            dims,
            {n: [bias[n]["dimensions"][d][main] for d in dims] for n in bias},
            None,
            main,
            f"bias: {main} per dimension",
        )
    )


def _harness_section(results: dict, names: list[str]) -> str:
    checks = results["checks"]
    harness = {n: checks[n]["harness"] for n in names if checks[n].get("harness")}
    if not harness:
        return ""
    rows = [
        [task, metric] + [harness[n].get(task, {}).get(metric) for n in harness]
        for task, scores in harness["tuned"].items()
        for metric in scores
    ]
    return "<h2>Standard benchmarks (lm-evaluation-harness)</h2>" + _table(["task", "metric", *harness], rows)


def _gate_section(results: dict) -> str:
    gate = results.get("gate")
    if not gate:
        return "<h2>Gate</h2><p>No thresholds set (the <code>gate:</code> section).</p>"
    rows = [
        [
            c["check"],
            c["value"],
            f"{c.get('op', '')} {c['threshold']}".strip(),
            "pass" if c["passed"] else "FAIL" + (f" ({c['note']})" if c.get("note") else ""),
        ]
        for c in gate["checks"]
    ]
    verdict = "PASSED: fit to ship on these checks" if gate["passed"] else "FAILED: do not ship"
    return f"<h2>Gate: {verdict}</h2>" + _table(
        ["check", "value", "threshold", "result"], rows, ["ok" if c["passed"] else "bad" for c in gate["checks"]]
    )


def _examples_section(results: dict, count: int) -> str:
    examples = results.get("examples", [])[:count]
    if not examples:
        return ""
    base = "base" in examples[0]
    rows = "".join(
        "<tr>"
        + f"<td>{e(x['prompt'])}</td><td>{e(x['reference'])}</td>"
        + (f"<td class={'ok' if x.get('base_token_f1', 0) >= 0.8 else 'bad'}>{e(x['base'])}</td>" if base else "")
        + f"<td class={'ok' if x.get('tuned_token_f1', 0) >= 0.8 else 'bad'}>{e(x.get('tuned', ''))}</td></tr>"
        for x in examples
    )
    return (
        f"<h2>Examples (greedy generation)</h2><table><tr><th>prompt</th><th>reference</th>"
        f"{'<th>base</th>' if base else ''}<th>tuned</th></tr>{rows}</table>"
    )


def _alignment_section(results: dict) -> str:
    a = results.get("alignment")
    if not a:
        return ""
    judge = a.get("judge_accuracy")
    rows = [
        ["mean reward, tuned", a["reward"]["tuned"]["value"], _ci(a["reward"]["tuned"]["ci"])],
        ["mean reward, base", a["reward"]["base"]["value"], _ci(a["reward"]["base"]["ci"])],
        ["win rate of tuned over base (ties half)", a["win_rate"]["value"], _ci(a["win_rate"]["ci"])],
        ["win rate, greedy answers", a["greedy"]["win_rate"]["value"], _ci(a["greedy"]["win_rate"]["ci"])],
        ["KL to the base (nats per sampled answer)", a["kl"]["value"], _ci(a["kl"]["ci"])],
    ]
    if judge:
        rows.append(
            ["the judge's accuracy on the held-out pairs", judge["accuracy"], _ci(judge["intervals"]["accuracy"])]
        )
    if "endpoint" in a:
        ep = a["endpoint"]
        rows.append(
            [f"win rate, judged by the endpoint {ep['model']}", ep["win_rate"]["value"], _ci(ep["win_rate"]["ci"])]
        )
        if ep["agreement"] is not None:
            rows.append([f"the endpoint's agreement with the {ep['pairs']} held-out pairs", ep["agreement"], ""])
    if "task" in a:
        t, m = a["task"], a["task"]["metric"]
        rows.append([f"{m} on {t['run']}'s test split, base → tuned", t["tuned"][m], f"base {t['base'][m]:.3f}"])
    examples = _table(
        ["prompt", "tuned", "reward", "base", "reward"],
        [[x["prompt"], x["tuned"], x["tuned_reward"], x["base"], x["base_reward"]] for x in a["examples"]],
    )
    return (
        f"<h2>Alignment</h2><p>Judged by the reward model {e(a['judge'])} on the {a['prompts']} test prompts, "
        f"{a['samples_per_prompt']} answers per prompt sampled at temperature {a['temperature']:g} (greedy "
        "beside); the base is the model alignment started from.</p>" + _table(["", "value", "95% CI"], rows) + examples
    )


def _generation_checks(results: dict, names: list[str]) -> str:
    if not {"retain", "memorization", "safety"} & get_objective(results["objective"]).CHECKS:
        return (
            f"<h2>Forgetting, memorization, safety</h2><p>Not measured: these checks generate text, and this is "
            f"a {e(results['objective'])} model.</p>"
        )
    return _forgetting_section(results) + _memorization_section(results, names) + _safety_section(results, names)


def _compared_row(run: dict, metrics: list[str]) -> list:
    """One run of the side-by-side table: what it did against forgetting, its task metrics, its forgetting and
    its gate's verdict."""
    against = run.get("against_forgetting") or {}
    gate = run.get("gate")
    forgetting = run.get("forgetting")
    return [
        run["run"],
        run.get("method"),
        f"{against.get('replay', 0.0):.0%}",
        f"{against.get('l2_sp', 0.0):g}",
        forgetting["forgetting"] if forgetting else "–",
        run["alignment"]["win_rate"]["value"] if run.get("alignment") else "–",
        "–" if gate is None else ("passed" if gate else "FAILED"),
        *[run["models"].get("tuned", {}).get(m) for m in metrics],
    ]


def render_report(config: Config, results: dict, history: list[dict], train_summary: TrainSummary) -> str:
    names = [n for n in ("base", "tuned") if n in results["models"]]
    plot = loss_plot(history) or "<p>No training history.</p>"
    params = train_summary.parameters
    facts = [
        ("run", config.name),
        ("objective", results["objective"]),
        ("base model", config.model.base_model),
        *([("compared with (as “base”)", results["compared_with"])] if config.evaluate.reference else []),
        ("method", train_summary.method),
        ("steps", train_summary.global_step),
        ("trainable parameters", f"{params.get('trainable', 0):,} ({params.get('percent', 0):.2f}%)"),
        ("test rows", results["test_rows"]),
    ]
    against = results.get("against_forgetting") or {}
    if against.get("replayed_rows"):
        facts.append(("replayed general rows", f"{against['replayed_rows']} ({against['replay']:.0%} of train)"))
    if against.get("l2_sp"):
        facts.append(("pull toward the start (l2_sp)", against["l2_sp"]))
    compared = results.get("compared_runs", [])
    compared_html = ""
    if compared:
        metrics = [m for m in _METRICS if m in results["models"]["tuned"]]
        this = {**results, "gate": (results.get("gate") or {}).get("passed")}
        compared_html = "<h2>Compared runs (tuned models)</h2>" + _table(
            ["run", "method", "replay", "l2_sp", "forgetting", "win rate", "gate", *metrics],
            [_compared_row(r, metrics) for r in [this, *compared]],
        )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>afina report — {e(config.name)}</title>
<style>{_STYLE}</style></head><body>
<h1>afina evaluation report: {e(config.name)}</h1>
<table>{"".join(f"<tr><th>{e(k)}</th><td>{_fmt(v)}</td></tr>" for k, v in facts)}</table>
{_gate_section(results)}
{_alignment_section(results)}
{_task_section(results, names)}
{_baseline_section(results)}
{_regression_section(results)}
{compared_html}
<h2>Loss curves</h2>{plot}
{_generation_checks(results, names)}
{_bias_section(results, names)}
{_harness_section(results, names)}
{_examples_section(results, config.evaluate.report_examples)}
</body></html>
"""
