"""The derivation tree of the versions as an inline SVG (no script), for the HTML report.

Kept apart from the page template so that it can move into a template as one call: it takes the
`mt_toolkit.stemma.Stemma` and returns one escaped ``<svg>`` string. Versions are boxes, laid out
by depth from the root (top) down to the article; each edge carries the first of the changes that
happened along it, and all of them in its tooltip.
"""

from __future__ import annotations

from html import escape

from mt_toolkit.stemma import Stemma

__all__ = ["stemma_svg"]

_BOX_W, _BOX_H, _GAP_X, _GAP_Y = 150, 34, 40, 78


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def stemma_svg(stemma: Stemma, *, languages: dict[str, str] | None = None, source: str | None = None,
               article: str = "article") -> str:
    """Draw the tree: root at the top, the article at the bottom, evidence on the edges.

    Args:
        stemma: the inferred (or asserted) tree.
        languages: label → language code, shown under each label.
        source: the likely source, outlined.
        article: the article's label, drawn in its own colour.

    Returns:
        An ``<svg>`` element as text; every label and note is escaped.
    """
    languages = languages or {}
    children: dict[str, list[str]] = {}
    for e in stemma.edges:
        children.setdefault(e.parent, []).append(e.child)
    # depth-first order gives each leaf its own column; a parent sits above its children's middle
    column: dict[str, float] = {}
    depth: dict[str, int] = {}
    next_col = [0]

    def place(node: str, d: int) -> None:
        depth[node] = d
        kids = sorted(children.get(node, []), key=lambda k: (k == article, k))
        for kid in kids:
            place(kid, d + 1)
        if kids:
            column[node] = sum(column[k] for k in kids) / len(kids)
        else:
            column[node] = next_col[0]
            next_col[0] += 1

    place(stemma.root, 0)
    cols = max(next_col[0], 1)
    rows = max(depth.values(), default=0) + 1
    width = cols * (_BOX_W + _GAP_X) + _GAP_X + 210  # room for the last column's edge labels
    height = rows * (_BOX_H + _GAP_Y) + 20

    def centre(node: str) -> tuple[float, float]:
        return (_GAP_X + column[node] * (_BOX_W + _GAP_X) + _BOX_W / 2, 14 + depth[node] * (_BOX_H + _GAP_Y) + _BOX_H / 2)

    kind = "asserted (--chain)" if stemma.asserted else "inferred from shared changes"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="derivation tree, {escape(kind)}" font-family="sans-serif" font-size="11">'
    ]
    for e in stemma.edges:
        (x1, y1), (x2, y2) = centre(e.parent), centre(e.child)
        tip = "; ".join(e.evidence) or "no change in the readings"
        parts.append(
            f'<g><title>{escape(e.parent)} → {escape(e.child)}: {escape(tip)}</title>'
            f'<line x1="{x1:.0f}" y1="{y1 + _BOX_H / 2:.0f}" x2="{x2:.0f}" y2="{y2 - _BOX_H / 2:.0f}" '
            f'stroke="#64748b" stroke-width="1.5" marker-end="url(#arrow)"/>'
        )
        label = _short(e.evidence[0]) if e.evidence else "no typed change"
        more = f" (+{len(e.evidence) - 1})" if len(e.evidence) > 1 else ""
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        parts.append(f'<text x="{mx + 4:.0f}" y="{my + 4:.0f}" fill="#b3261e">{escape(label + more)}</text></g>')
    for node in depth:
        x, y = centre(node)
        fill = "#fef3c7" if node == article else ("#dbeafe" if node == source else "#f8fafc")
        stroke = "#f59e0b" if node == source else "#94a3b8"
        lang = languages.get(node, "")
        parts.append(
            f'<g><rect x="{x - _BOX_W / 2:.0f}" y="{y - _BOX_H / 2:.0f}" width="{_BOX_W}" height="{_BOX_H}" rx="6" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{2.5 if node == source else 1}"/>'
            f'<text x="{x:.0f}" y="{y - 2:.0f}" text-anchor="middle" font-weight="bold" fill="#1f2937">{escape(_short(node, 22))}</text>'
            f'<text x="{x:.0f}" y="{y + 11:.0f}" text-anchor="middle" fill="#5b6475">{escape(lang)}</text></g>'
        )
    parts.insert(1, '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
                    'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#64748b"/></marker></defs>')
    parts.append("</svg>")
    return "".join(parts)
