"""The ``watermark-demo`` directive: the green-list watermark, computed at build time.

The numbers come from ``llmkb.sphinx_ext.watermark.demo()`` on every build; nothing on the
page is typed by hand, so text and numbers cannot drift apart.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from . import watermark


def scored_nodes(scored: watermark.Scored) -> list[nodes.Node]:
    verdict = "判定为带水印" if scored.z > watermark.DEMO_THRESHOLD else "判定为无水印"
    head = nodes.paragraph(classes=["llmkb-wm-head"])
    head += nodes.strong("", scored.label)
    head += nodes.Text(f"：绿色词 {scored.green} / {scored.total}，γ = {scored.gamma}，"
                       f"z = {scored.z:.3f}（阈值 {watermark.DEMO_THRESHOLD}，{verdict}）")
    text = nodes.paragraph(classes=["llmkb-wm-text"])
    for i, (token, green) in enumerate(scored.tokens):
        if i:
            text += nodes.Text(" ")
        colour = "green" if green else "red"
        # the colour is repeated as a mark (✓ / ✗) so the demo does not rely on colour alone
        text += nodes.inline("", f"{token}{'✓' if green else '✗'}", classes=["llmkb-wm-token", f"llmkb-wm-{colour}"])
    return [head, text]


class WatermarkDemoDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        box = nodes.container(classes=["llmkb-wm-demo"])
        legend = nodes.paragraph(classes=["llmkb-wm-legend"])
        legend += nodes.Text(f"词表 {len(watermark.VOCAB)} 个词，γ = {watermark.DEMO_GAMMA}，δ = {watermark.DEMO_DELTA}；"
                             "✓ 表示该词落在由前一个词决定的绿色列表中，✗ 表示红色列表。")
        box += legend
        for scored in watermark.demo():
            box.extend(scored_nodes(scored))
        return [box]
