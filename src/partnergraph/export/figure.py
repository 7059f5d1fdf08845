"""A static network figure (PNG and SVG) for Innokylä and reports, drawn with matplotlib.

About 1600 px wide at 100 dpi, legible at page width: nodes coloured by organisation type
(the explorer's colours), sized by degree, labels for the most connected, a legend, a title
and a source line. Rendered off-screen (Agg), so it needs no display.
"""

from __future__ import annotations

import io
import math

import networkx as nx

from partnergraph.explorer import COLOURS, GROUP_LABELS


def network_figure(
    G: nx.Graph, *, title: str, footer: str, seed: int = 42, labels: int = 25
) -> tuple[bytes, bytes]:
    """PNG and SVG bytes of ``G`` (nodes need ``label`` and ``org_type`` or ``kind``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    fig, ax = plt.subplots(figsize=(16, 10), dpi=100)
    ax.set_axis_off()
    fig.suptitle(title, fontsize=18, fontweight="bold", x=0.02, ha="left")
    fig.text(0.02, 0.015, footer, fontsize=10, color="#4a5360")
    if G.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "Ei yhteistyösiteitä valinnassa", ha="center", va="center", fontsize=14)
    else:
        pos = nx.spring_layout(G, weight="weight", seed=seed, k=1.5 / math.sqrt(len(G)))
        groups = {
            n: (a.get("org_type") or a.get("kind") or "OtherOrganisation") for n, a in G.nodes(data=True)
        }
        degree = dict(G.degree())
        top = max(degree.values(), default=1) or 1
        nx.draw_networkx_edges(
            G,
            pos,
            ax=ax,
            edge_color="#9aa4b2",
            alpha=0.5,
            width=[0.5 + 2 * min(d.get("weight", 1.0), 2.0) for *_, d in G.edges(data=True)],
        )
        nx.draw_networkx_nodes(
            G,
            pos,
            ax=ax,
            node_color=[COLOURS.get(groups[n], "#6b7280") for n in G],
            node_size=[40 + 500 * degree[n] / top for n in G],
            edgecolors="#1b1f24",
            linewidths=0.5,
        )
        shown = sorted(G, key=lambda n: (-degree[n], G.nodes[n].get("label", "")))[:labels]
        nx.draw_networkx_labels(
            G,
            pos,
            ax=ax,
            labels={n: G.nodes[n].get("label", n) for n in shown},
            font_size=9,
            bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 0.5},
        )
        present = sorted(set(groups.values()), key=lambda g: list(COLOURS).index(g) if g in COLOURS else 99)
        ax.legend(
            handles=[
                Line2D(
                    [0],
                    [0],
                    marker="o",
                    linestyle="",
                    markersize=10,
                    markerfacecolor=COLOURS.get(g, "#6b7280"),
                    markeredgecolor="#1b1f24",
                    label=GROUP_LABELS.get(g, {}).get("fi", g),
                )
                for g in present
            ],
            loc="upper right",
            frameon=True,
            fontsize=11,
            title="Organisaatiotyyppi",
        )
    fig.tight_layout(rect=(0, 0.03, 1, 0.95))
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png")
    fig.savefig(svg, format="svg")
    plt.close(fig)
    return png.getvalue(), svg.getvalue()
