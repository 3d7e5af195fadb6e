"""The evaluation report: one self-contained HTML file (plots inlined as PNG data URIs)."""

from __future__ import annotations

import base64
import html
import io

from afina.config import Config

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0;width:100%}th,td{border:1px solid #ccc;padding:.35rem .6rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{background:#e8f6e8}.bad{background:#fbeaea}code{background:#f3f3f3;padding:0 .2rem}img{max-width:100%}
"""
_METRICS = ("accuracy", "macro_f1", "exact_match", "token_f1", "loss", "perplexity")


def loss_plot(history: list[dict]) -> str | None:
    """Training and validation loss against the step, as a base64 PNG (None without history)."""
    train = [(h["step"], h["loss"]) for h in history if "loss" in h]
    valid = [(h["step"], h["eval_loss"]) for h in history if "eval_loss" in h]
    if not train and not valid:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.5), dpi=100)
    for points, label in ((train, "train loss"), (valid, "validation loss")):
        if points:
            ax.plot(*zip(*points), marker="o" if len(points) < 30 else None, label=label)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _fmt(value) -> str:
    return f"{value:.4f}" if isinstance(value, float) else html.escape(str(value))


def _confusion_table(name: str, confusion: dict) -> str:
    labels = [html.escape(str(label)) for label in confusion["labels"]]
    head = "".join(f"<th>{label}</th>" for label in labels)
    rows = "".join(f"<tr><th>{label}</th>" + "".join(f"<td class=num>{n}</td>" for n in row) + "</tr>"
                   for label, row in zip(labels, confusion["matrix"]))
    return (f"<h3>Confusion matrix, {name} (rows: true label, columns: predicted)</h3>"
            f"<table><tr><th></th>{head}</tr>{rows}</table>")


def render_report(config: Config, results: dict, history: list[dict], train_summary: dict) -> str:
    e = html.escape
    models = results["models"]
    names = [n for n in ("base", "tuned") if n in models]
    rows = "".join(f"<tr><th>{m}</th>" + "".join(f"<td class=num>{_fmt(models[n][m])}</td>" for n in names) + "</tr>"
                   for m in _METRICS if any(m in models[n] for n in names))
    plot = loss_plot(history)
    plot_html = f'<img alt="loss curves" src="data:image/png;base64,{plot}">' if plot else "<p>No training history.</p>"
    examples = results.get("examples", [])[: config.evaluate.report_examples]
    example_rows = "".join(
        "<tr>" + f"<td>{e(x['prompt'])}</td><td>{e(x['reference'])}</td>"
        + (f"<td class={'ok' if x['base_token_f1'] >= 0.8 else 'bad'}>{e(x['base'])}</td>" if "base" in x else "")
        + f"<td class={'ok' if x['tuned_token_f1'] >= 0.8 else 'bad'}>{e(x['tuned'])}</td></tr>"
        for x in examples)
    base_head = "<th>base</th>" if examples and "base" in examples[0] else ""
    confusion = "".join(_confusion_table(n, models[n]["confusion_matrix"]) for n in names if "confusion_matrix" in models[n])
    params = train_summary.get("parameters", {})
    facts = [("run", config.name), ("task", results.get("task", "generation")),
             ("base model", config.model.base_model), ("method", config.method.name),
             ("steps", train_summary.get("global_step", "?")),
             ("trainable parameters", f"{params.get('trainable', 0):,} ({params.get('percent', 0):.2f}%)"),
             ("test rows", results["test_rows"])]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>afina report — {e(config.name)}</title>
<style>{_STYLE}</style></head><body>
<h1>afina evaluation report: {e(config.name)}</h1>
<table>{''.join(f'<tr><th>{e(k)}</th><td>{_fmt(v)}</td></tr>' for k, v in facts)}</table>
<h2>Test metrics</h2>
<table><tr><th>metric</th>{''.join(f'<th>{n}</th>' for n in names)}</tr>{rows}</table>
{confusion}
<h2>Loss curves</h2>{plot_html}
<h2>Examples (greedy generation)</h2>
<table><tr><th>prompt</th><th>reference</th>{base_head}<th>tuned</th></tr>{example_rows}</table>
</body></html>
"""
