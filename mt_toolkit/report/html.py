"""The trace result as one self-contained HTML page a translator reads from disk.

Everything is inline (CSS, SVG), nothing is fetched and no script runs, so the file opens the
same offline, in a mail attachment or in a newsroom archive years later. The page reads top to
bottom: a summary (which original the article most likely came from, how many sentences changed
and how), then every article sentence side by side with each original's matching sentence (in
the original language and in the pivot language, changed words highlighted, flags as badges),
then the similarity maps that show where each sentence was found.
"""

from __future__ import annotations

from html import escape

from mt_toolkit.fidelity import DiffSegment, Flag, FlagKind, Verdict
from mt_toolkit.languages import get_language
from mt_toolkit.trace import Match, PivotText, SentenceTrace, SimilarityMap, TraceResult

__all__ = ["render_html", "similarity_svg"]

VERDICT_TEXT = {
    Verdict.FAITHFUL: "faithful",
    Verdict.PARAPHRASED: "paraphrased",
    Verdict.CHANGED: "changed",
    Verdict.NOT_FOUND: "not found",
}

VERDICT_HELP = {
    Verdict.FAITHFUL: "same wording, no flagged change",
    Verdict.PARAPHRASED: "reworded, no flagged change",
    Verdict.CHANGED: "a number, name, negation, modal or clause changed",
    Verdict.NOT_FOUND: "no sentence of the original is close enough",
}

FLAG_TEXT = {
    FlagKind.NUMBER: "number",
    FlagKind.NAME: "name",
    FlagKind.NEGATION: "negation",
    FlagKind.MODALITY: "modality",
    FlagKind.OMISSION: "omission",
    FlagKind.ADDITION: "addition",
}

_CSS = """
:root {
  --ink: #1d2330; --muted: #5b6475; --line: #dde2ea; --paper: #f6f7f9; --card: #ffffff;
  --faithful: #1e7b45; --faithful-bg: #e3f4e9;
  --paraphrased: #1f5fa8; --paraphrased-bg: #e2edfa;
  --changed: #b3261e; --changed-bg: #fbe7e5;
  --not_found: #6b7280; --not_found-bg: #eef0f3;
  --del-bg: #fdd8d4; --ins-bg: #d3f2dc;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 15px/1.55 "Source Sans 3", "Noto Sans", "Segoe UI", system-ui, -apple-system, sans-serif; }
main { max-width: 1480px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 19px; margin: 36px 0 12px; }
.sub { color: var(--muted); margin: 0 0 22px; }
.cards { display: grid; grid-template-columns: 1.3fr 1fr 1fr; gap: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; }
.card h3 { margin: 0 0 8px; font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.big { font-size: 24px; font-weight: 700; }
.chip { display: inline-block; border-radius: 999px; padding: 1px 10px; font-size: 13px; font-weight: 600;
  white-space: nowrap; }
.v-faithful { color: var(--faithful); background: var(--faithful-bg); }
.v-paraphrased { color: var(--paraphrased); background: var(--paraphrased-bg); }
.v-changed { color: var(--changed); background: var(--changed-bg); }
.v-not_found { color: var(--not_found); background: var(--not_found-bg); }
.hoprow { margin: 0 0 8px; font-size: 14px; }
.muted { color: var(--muted); font-size: 13px; }
a { color: #1f5fa8; }
.counts { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 10px; }
.badge { display: inline-block; border-radius: 5px; padding: 1px 7px; margin: 2px 4px 2px 0; font-size: 12.5px;
  font-weight: 600; color: #fff; line-height: 1.6; }
.badge small { font-weight: 400; opacity: .95; font-size: 12.5px; }
.f-number { background: #6a3d9a; } .f-name { background: #00796b; } .f-negation { background: #c62828; }
.f-modality { background: #d2691e; } .f-omission { background: #8d5524; } .f-addition { background: #3949ab; }
table { border-collapse: collapse; width: 100%; background: var(--card); border: 1px solid var(--line);
  border-radius: 10px; overflow: hidden; }
th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); background: #fafbfc; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; height: 8px; border-radius: 4px; background: #5b8def; vertical-align: middle; margin-right: 8px; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; color: var(--muted); font-size: 13.5px; margin: 14px 0 0; }
.sentence { background: var(--card); border: 1px solid var(--line); border-left: 6px solid var(--line);
  border-radius: 10px; margin: 0 0 16px; padding: 14px 16px 12px; }
.sentence.s-faithful { border-left-color: var(--faithful); }
.sentence.s-paraphrased { border-left-color: var(--paraphrased); }
.sentence.s-changed { border-left-color: var(--changed); }
.sentence.s-not_found { border-left-color: var(--not_found); }
.shead { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 10px; }
.shead .no { font-weight: 700; font-size: 16px; margin-right: 4px; }
.kind { font-size: 12.5px; color: var(--muted); border: 1px solid var(--line); border-radius: 999px; padding: 0 8px; }
.chain { display: flex; flex-wrap: wrap; align-items: center; gap: 4px; font-size: 13px; color: var(--muted); margin-left: auto; }
.chain .node { border: 1px solid var(--line); border-radius: 6px; padding: 0 6px; color: var(--ink); background: #fafbfc; }
.chain .hop { font-size: 12px; font-weight: 600; padding: 0 6px; border-radius: 999px; }
.cols { display: grid; gap: 12px; margin-top: 8px; }
.hopnote { font-size: 13px; color: var(--muted); margin: 2px 0 0 30px; }
.hopnote b { color: var(--ink); font-weight: 600; margin-right: 6px; }
.col { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; min-width: 0; }
.col.article { background: #fbfaf5; border-color: #e8e1c8; }
.col.best { box-shadow: inset 0 0 0 2px #5b8def; }
.col h4 { margin: 0 0 6px; font-size: 13px; display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.col h4 .lang { color: var(--muted); font-weight: 400; }
.star { color: #1f5fa8; font-size: 12px; font-weight: 700; }
.src { margin: 0 0 6px; font-size: 15px; }
.src:lang(zh), .src:lang(ja) { font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
.pivot { margin: 0 0 6px; color: #374151; font-size: 14.5px; border-top: 1px dashed var(--line); padding-top: 6px; }
.scores { font-size: 12.5px; color: var(--muted); font-variant-numeric: tabular-nums; margin-bottom: 4px; }
.scores b { color: var(--ink); }
.none { color: var(--muted); font-style: italic; font-size: 14px; }
del { background: var(--del-bg); color: #7f1d1d; text-decoration: line-through; text-decoration-color: #c62828aa; border-radius: 3px; }
ins { background: var(--ins-bg); color: #14532d; text-decoration: none; border-radius: 3px; }
.quote { background: #fff3c4; border-radius: 3px; }
.maps { display: flex; flex-wrap: wrap; gap: 18px; }
.maps figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px; }
.maps figcaption { font-size: 13px; color: var(--muted); margin-bottom: 6px; }
.signatures code { font-size: 12.5px; }
footer { color: var(--muted); font-size: 13px; margin-top: 28px; }
@media (max-width: 1000px) { .cards { grid-template-columns: 1fr; } .cols { grid-template-columns: 1fr !important; } }
@media print { body { background: #fff; } .sentence { break-inside: avoid; } }
"""


def _lang_name(code: str) -> str:
    return get_language(code).name


def _chip(verdict: Verdict) -> str:
    return (f'<span class="chip v-{verdict.value}" title="{escape(VERDICT_HELP[verdict])}">'
            f"{VERDICT_TEXT[verdict]}</span>")


def _flag_badges(flags: tuple[Flag, ...]) -> str:
    return "".join(
        f'<span class="badge f-{f.kind.value}">{FLAG_TEXT[f.kind]} <small>{escape(f.detail)}</small></span>'
        for f in flags
    )


def _diff_html(segments: tuple[DiffSegment, ...], side: str) -> str:
    """One side of a word diff: the original's dropped words as <del>, the article's new ones as <ins>."""
    out = []
    for seg in segments:
        text = seg.original if side == "original" else seg.article
        if not text:
            continue
        if seg.tag == "equal":
            out.append(escape(text))
        else:
            tag = "del" if side == "original" else "ins"
            stripped = text.rstrip()
            out.append(f"<{tag}>{escape(stripped)}</{tag}>{escape(text[len(stripped):])}")
    return "".join(out)


def _with_quotes(text: str, quotes: tuple[str, ...]) -> str:
    """The sentence, its quoted spans marked so a reader sees at a glance what is a quotation."""
    html = escape(text)
    for q in quotes:
        eq = escape(q)
        html = html.replace(eq, f'<span class="quote">{eq}</span>', 1)
    return html


def _metric(match: Match, prefix: str) -> str:
    value = next((s.value for s in match.scores if s.metric.startswith(prefix)), None)
    return "–" if value is None else f"{value:.1f}"


def _article_col(s: SentenceTrace, article: PivotText) -> str:
    best = s.best
    pivot = _diff_html(best.diff, "article") if best else escape(s.pivot)
    return (
        f'<div class="col article"><h4>{escape(article.label)} <span class="lang">{escape(_lang_name(article.lang))}</span></h4>'
        f'<p class="src" lang="{escape(article.lang)}">{_with_quotes(s.text, s.quotes)}</p>'
        f'<p class="pivot" lang="en">{pivot}</p></div>'
    )


def _match_col(m: Match, original: PivotText, is_best: bool) -> str:
    head = (f'<h4>{escape(m.label)} <span class="lang">{escape(_lang_name(original.lang))}</span> '
            f'{_chip(m.verdict)}{" <span class=star>★ most likely source</span>" if is_best else ""}</h4>')
    where = ", ".join(str(k + 1) for k in m.indices)
    scores = (f'<div class="scores">sentence {where} · chrF <b>{_metric(m, "chrF")}</b> · '
              f'BLEU <b>{_metric(m, "BLEU")}</b> · TER <b>{_metric(m, "TER")}</b></div>') if m.indices else ""
    if not m.found:
        closest = (f'<div class="none">closest: sentence {where}, chrF {_metric(m, "chrF")}</div>'
                   if m.indices else "")
        return f'<div class="col">{head}<div class="none">not in this original</div>{closest}</div>'
    pivot = (f'<p class="pivot" lang="en">{_diff_html(m.diff, "original")}</p>'
             if original.origin != "pivot language" else "")
    src = (f'<p class="src" lang="{escape(original.lang)}">{escape(m.text)}</p>' if pivot
           else f'<p class="src" lang="{escape(original.lang)}">{_diff_html(m.diff, "original")}</p>')
    return f'<div class="col{" best" if is_best else ""}">{head}{scores}{src}{pivot}<div>{_flag_badges(m.flags)}</div></div>'


def _chain_html(s: SentenceTrace) -> str:
    if not s.chain:
        return ""
    parts = [f'<span class="node">{escape(s.chain[0].source)}</span>']
    for hop in s.chain:
        parts.append(f'<span class="hop v-{hop.verdict.value}" title="chrF {hop.chrf:.1f}">→ {VERDICT_TEXT[hop.verdict]} →</span>')
        parts.append(f'<span class="node">{escape(hop.target)}</span>')
    return f'<div class="chain"><span>chain:</span>{"".join(parts)}</div>'


def _attribution_html(result: TraceResult) -> str:
    """The likely source with its confidence and evidence, and the derivation tree (inline SVG)."""
    att = result.attribution
    if att is None:
        return ""
    from mt_toolkit.report.chain_svg import stemma_svg

    langs = {o.label: o.lang for o in result.originals} | {result.article.label: result.article.lang}
    rows = "".join(
        f"<li><b>{escape(c.label)}</b> {100 * c.share:.0f}%: shares "
        f"{escape('; '.join(c.shared[:5]) or 'no departure of its own with the article')}"
        + (f"; the article lacks {escape('; '.join(c.against[:3]))}" if c.against else "") + "</li>"
        for c in att.candidates
    )
    rows += "".join(
        f"<li>model {escape(m.model)} ({escape(m.backend)}): log-probability of the article from "
        f"{escape(m.label)} {m.mean_logprob:.3f} per token, {m.sentences} sentences (recorded, not weighed)</li>"
        for m in att.model_scores
    )
    kind = "asserted with --chain" if att.stemma.asserted else f"inferred from shared changes; root: {att.stemma.rooting}"
    mixed = "<p>The article mixes sources: some sentences follow another version (see the sentences).</p>" if att.mixed else ""
    return (f'<div class="card"><h3>Evidence of descent</h3><ul>{rows}</ul>{mixed}'
            f'<p class="muted">Derivation tree ({escape(kind)}):</p>'
            f"{stemma_svg(att.stemma, languages=langs, source=att.source, article=result.article.label)}</div>")


def _sentence_html(s: SentenceTrace, result: TraceResult) -> str:
    by_label = {m.label: m for m in s.matches}
    best = s.best
    cols = [_article_col(s, result.article)]
    cols += [_match_col(by_label[o.label], o, best is not None and best.label == o.label) for o in result.originals]
    hops = "".join(
        f'<div class="hopnote">changed at <b>{escape(h.source)} → {escape(h.target)}</b>{_flag_badges(h.flags)}</div>'
        for h in s.chain if h.verdict is Verdict.CHANGED
    )
    if s.sources:
        hops += (f'<div class="hopnote">source: <b>{escape(", ".join(s.sources))}</b> '
                 f'<span class="muted">{escape("; ".join(s.evidence))}</span></div>')
    kind = {"quote": "direct quote", "reported": "reported speech", "narrative": "narrative"}[s.kind.value]
    return (
        f'<article class="sentence s-{s.verdict.value}" id="s{s.index + 1}">'
        f'<div class="shead"><span class="no">{s.index + 1}</span>{_chip(s.verdict)}'
        f'<span class="kind">{kind}</span>{_chain_html(s)}</div>{hops}'
        f'<div class="cols" style="grid-template-columns: repeat({len(cols)}, minmax(0, 1fr))">{"".join(cols)}</div>'
        f"</article>"
    )


def _heat(value: float, highest: float) -> str:
    """White (0) to deep blue (the map's highest value)."""
    t = max(0.0, min(1.0, value / max(highest, 1e-9)))
    r, g, b = (round(255 + (c - 255) * t) for c in (31, 78, 170))
    return f"rgb({r},{g},{b})"


def similarity_svg(smap: SimilarityMap, *, article_label: str = "article") -> str:
    """An inline SVG heat map of sentence similarity (article sentences down, original sentences
    across) with the matches found outlined: a diagonal path means the article follows the
    original's order, a gap in it a passage the article left out.

    Args:
        smap: the matrix and the chosen path for one original.
        article_label: the name shown on the vertical axis.

    Returns:
        An ``<svg>`` element as text.
    """
    rows = len(smap.matrix)
    cols = len(smap.matrix[0]) if rows else 0
    cell = max(6, min(24, 360 // max(rows, cols, 1)))
    left, top = 34, 30
    width, height = left + cols * cell + 8, top + rows * cell + 8
    chosen = set(smap.path)
    highest = max((v for row in smap.matrix for v in row), default=1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="similarity of {escape(article_label)} and {escape(smap.label)}" '
        f'font-family="sans-serif" font-size="10" fill="#5b6475">'
    ]
    step = max(1, (max(rows, cols) + 14) // 15)
    for j in range(0, cols, step):
        parts.append(f'<text x="{left + j * cell + cell / 2}" y="{top - 6}" text-anchor="middle">{j + 1}</text>')
    for i in range(0, rows, step):
        parts.append(f'<text x="{left - 5}" y="{top + i * cell + cell / 2 + 3.5}" text-anchor="end">{i + 1}</text>')
    for i, row in enumerate(smap.matrix):
        for j, value in enumerate(row):
            parts.append(
                f'<rect x="{left + j * cell}" y="{top + i * cell}" width="{cell}" height="{cell}" '
                f'fill="{_heat(value, highest)}" stroke="#ffffff" stroke-width="0.5">'
                f"<title>{escape(article_label)} {i + 1} × {escape(smap.label)} {j + 1}: {value:.0f}</title></rect>"
            )
    for i, j in sorted(chosen):
        parts.append(
            f'<rect x="{left + j * cell + 1}" y="{top + i * cell + 1}" width="{cell - 2}" height="{cell - 2}" '
            f'fill="none" stroke="#f59e0b" stroke-width="2.5"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _sentence_links(indices: tuple[int, ...]) -> str:
    return ", ".join(f'<a href="#s{i + 1}">{i + 1}</a>' for i in indices)


def _summary(result: TraceResult) -> str:
    n = len(result.sentences)
    langs = {o.label: o.lang for o in result.originals}
    source = result.likely_source
    if source:
        top = result.ranking[0]
        likely = (f'<div class="big">{escape(source)}</div><div>{escape(_lang_name(langs[source]))} · best match for '
                  f"<b>{top.best_for}</b> of {n} sentences · mean chrF {top.mean_chrf:.1f}</div>")
        others = [f"{escape(r.label)} ({r.best_for})" for r in result.ranking[1:]]
        if others:
            likely += f'<div class="muted" style="margin-top:8px">then {", ".join(others)}</div>'
        if result.attribution is not None:
            likely += (f'<div class="muted" style="margin-top:8px">decided by evidence of descent (shared changes), '
                       f"confidence {100 * result.attribution.confidence:.0f}%</div>")
        else:
            likely += ('<div class="muted" style="margin-top:8px">ranked by the number of article sentences '
                       "each original matches best, then by mean chrF</div>")
    else:
        likely = '<div class="big">none</div><div>no original holds any article sentence</div>'
    counts = {v: sum(1 for s in result.sentences if s.verdict is v) for v in Verdict}
    bar = _verdict_bar(counts, n)
    chips = "".join(f'<span class="chip v-{v.value}">{VERDICT_TEXT[v]} {c}</span>' for v, c in counts.items())
    hops = "".join(
        f'<div class="hoprow"><b>{escape(h.source)} → {escape(h.target)}</b> '
        f'<span class="muted">{len(h.sentences)} sentence{"s" if len(h.sentences) != 1 else ""} '
        f"({_sentence_links(h.sentences)})</span><br>"
        + "".join(f'<span class="badge f-{k}">{FLAG_TEXT[FlagKind(k)]} <small>× {c}</small></span>' for k, c in h.kinds)
        + "</div>"
        for h in result.changes_by_hop()
    ) or '<span class="none">no hop changed any sentence</span>'
    return (
        '<section class="cards">'
        f'<div class="card"><h3>Most likely source</h3>{likely}</div>'
        f'<div class="card"><h3>Verdicts ({n} sentences)</h3>{bar}<div class="counts">{chips}</div></div>'
        f'<div class="card"><h3>Where the wording changed</h3>{hops}</div>'
        "</section>"
    )


def _verdict_bar(counts: dict[Verdict, int], total: int) -> str:
    colours = {Verdict.FAITHFUL: "#1e7b45", Verdict.PARAPHRASED: "#1f5fa8",
               Verdict.CHANGED: "#b3261e", Verdict.NOT_FOUND: "#9ca3af"}
    x, parts = 0.0, []
    for v, c in counts.items():
        if not c:
            continue
        w = 300 * c / max(total, 1)
        parts.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="14" fill="{colours[v]}">'
                     f"<title>{VERDICT_TEXT[v]}: {c}</title></rect>")
        x += w
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="14" viewBox="0 0 300 14" '
            f'preserveAspectRatio="none" role="img" aria-label="verdicts">{"".join(parts)}</svg>')


def _ranking(result: TraceResult) -> str:
    origin = {o.label: o for o in result.originals}
    n = max(len(result.sentences), 1)
    rows = []
    for rank, r in enumerate(result.ranking, 1):
        o = origin[r.label]
        rows.append(
            f"<tr><td class=num>{rank}</td><td><b>{escape(r.label)}</b></td><td>{escape(_lang_name(r.lang))}</td>"
            f'<td><span class="bar" style="width:{120 * r.best_for / n:.0f}px"></span>{r.best_for}</td>'
            f"<td class=num>{r.found} / {len(result.sentences)}</td>"
            f'<td><span class="bar" style="width:{1.2 * r.mean_chrf:.0f}px;background:#94a3b8"></span>{r.mean_chrf:.1f}</td>'
            f"<td>{len(o.sentences)}</td><td>{escape(o.origin)}</td></tr>"
        )
    return (
        "<table><thead><tr><th>#</th><th>original</th><th>language</th><th>best match for</th>"
        "<th>sentences found</th><th>mean chrF (found)</th><th>sentences</th><th>pivot text from</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _legend(result: TraceResult) -> str:
    t = result.thresholds
    verdicts = "".join(f'<span>{_chip(v)} {escape(VERDICT_HELP[v])}</span>' for v in Verdict)
    return (
        f'<div class="legend">{verdicts}</div>'
        f'<div class="legend"><span><del>struck</del> in an original: words the article lacks</span>'
        f"<span><ins>green</ins> in the article: words the most likely source lacks</span>"
        f'<span><span class="quote">yellow</span>: direct quotation</span>'
        f"<span>not found below chrF {t.not_found_chrf:g} · faithful at chrF ≥ {t.faithful_chrf:g} without flags · "
        f"clauses of ≥ {t.min_clause_tokens} words</span></div>"
    )


def render_html(result: TraceResult, *, title: str | None = None) -> str:
    """The result as a complete, self-contained HTML document.

    Args:
        result: a finished trace.
        title: the page title (default: "Quote trace: <article label>").

    Returns:
        HTML text with inline CSS and SVG, no script and no external resource.
    """
    title = title or f"Quote trace: {result.article.label}"
    art = result.article
    originals = ", ".join(f"{escape(o.label)} ({escape(_lang_name(o.lang))})" for o in result.originals)
    maps = "".join(
        f"<figure><figcaption><b>{escape(m.label)}</b>: {escape(art.label)} sentences down, "
        f"{escape(m.label)} sentences across<br>darker = more alike ({escape(m.measure)})<br>outlined = match found</figcaption>"
        f"{similarity_svg(m, article_label=art.label)}</figure>"
        for m in result.maps
    )
    signatures = "".join(f"<li><code>{escape(s)}</code></li>" for s in result.signatures)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{escape(title)}</h1>"
        f'<p class="sub">{escape(art.label)} ({escape(_lang_name(art.lang))}, {len(art.sentences)} sentences) '
        f"against {originals} · compared in {escape(_lang_name(result.pivot))}</p>"
        f"{_summary(result)}"
        f"<h2>Which original the article follows</h2>{_attribution_html(result)}{_ranking(result)}"
        f"<h2>Sentence by sentence</h2>{_legend(result)}<div style='height:12px'></div>"
        f"{''.join(_sentence_html(s, result) for s in result.sentences)}"
        f'<h2>Where each sentence was found</h2><div class="maps">{maps}</div>'
        f'<h2>Scores and how they were made</h2><div class="signatures"><ul>{signatures}</ul></div>'
        f"<footer>Generated by mt-toolkit trace. Scores are sacrebleu sentence-level scores of the "
        f"article's {escape(_lang_name(result.pivot))} text against each original's; flags are heuristics "
        f"to point a reader at what to check, not a judgement.</footer>"
        "</main></body></html>\n"
    )
