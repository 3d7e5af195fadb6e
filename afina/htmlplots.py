"""Matplotlib figures as inline PNG <img> tags, for the HTML reports (evaluation's, monitoring's): one file
each, nothing fetched when opened."""

from __future__ import annotations

import base64
import html
import io


def pyplot():
    """matplotlib.pyplot on the Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def img_tag(fig, alt: str) -> str:
    """The figure as an <img class="plot"> with the PNG inline; closes the figure."""
    plt = pyplot()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode()
    return f'<img class="plot" alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'
