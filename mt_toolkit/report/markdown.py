"""The trace result as Markdown: a summary, then one section per article sentence.

Markdown is for pasting into a ticket or a newsroom chat, so it keeps to what reads well as plain
text: tables for scores, bold verdicts, flags as a list, and the signatures at the end.
"""

from __future__ import annotations

from mt_toolkit.fidelity import Verdict
from mt_toolkit.metrics import find_score
from mt_toolkit.trace import Match, SentenceTrace, TraceResult

__all__ = ["render_markdown"]

def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _metric(match: Match, name: str) -> str:
    score = find_score(match.scores, name)
    return "–" if score is None else f"{score.value:.1f}"


def _sentence(s: SentenceTrace, labels: dict[str, str]) -> list[str]:
    if s.furniture:  # a line the site inserted: said so, not traced
        return [f"### {s.index + 1}. *page furniture ({s.furniture})*", "", f"> {s.text}", ""]
    lines = [f"### {s.index + 1}. **{s.verdict.label}** ({s.kind.value})", ""]
    lines.append(f"> {s.text}")
    lines.append(">")
    lines.append(f"> *{s.pivot}*")
    lines.append("")
    lines.append("| original | sentence(s) | chrF | BLEU | TER | verdict | pivot text |")
    lines.append("|---|---|---:|---:|---:|---|---|")
    for m in s.matches:
        where = ", ".join(str(k + 1) for k in m.indices) if m.found else "–"
        mark = " ★" if s.best is m else ""
        lines.append(
            f"| {_cell(m.label)}{mark} | {where} | {_metric(m, 'chrF')} | {_metric(m, 'BLEU')} | "
            f"{_metric(m, 'TER')} | {m.verdict.label} | {_cell(m.pivot) if m.found else ''} |"
        )
    lines.append("")
    flagged = [m for m in s.matches if m.found and m.flags]
    for m in flagged:
        lines.append(f"- against {m.label}: " + "; ".join(f"**{f.kind.value}** {f.detail}" for f in m.flags))
    if s.chain and len(s.chain) > 1 or s.changed_at:
        hops = " → ".join([s.chain[0].source] + [f"{h.target} ({h.verdict.label})" for h in s.chain]) if s.chain else ""
        lines.append(f"- chain: {hops}")
    if s.changed_at:
        lines.append(f"- changed at: {', '.join(s.changed_at)}")
    if s.sources:
        lines.append(f"- source: **{', '.join(s.sources)}**" + (f" ({'; '.join(s.evidence)})" if s.evidence else ""))
    lines.append("")
    return lines


def _attribution(result: TraceResult) -> list[str]:
    """The evidence of descent per candidate, and the derivation tree as a list of edges."""
    att = result.attribution
    if att is None:
        return []
    out = [f"**Evidence of descent** (confidence in {att.source}: {100 * att.confidence:.0f}%"
           + ("; the article mixes sources" if att.mixed else "") + "):", ""]
    for c in att.candidates:
        line = f"- {_cell(c.label)} ({100 * c.share:.0f}%): shares {'; '.join(c.shared[:6]) or 'no departure of its own with the article'}"
        if c.against:
            line += f"; the article lacks {'; '.join(c.against[:4])}"
        out.append(line)
    for m in att.model_scores:
        out.append(f"- model {m.model} ({m.backend}): log-probability of the article from {_cell(m.label)} "
                   f"{m.mean_logprob:.3f} per token over {m.sentences} sentences (recorded, not weighed)")
    out.append("")
    how = "asserted with --chain" if att.stemma.asserted else f"inferred; root chosen by {att.stemma.rooting}"
    out.append(f"**Derivation tree** ({how}), root {att.stemma.root}:")
    out.append("")
    for e in att.stemma.edges:
        out.append(f"- {e.parent} → {e.child}: {'; '.join(e.evidence) or 'no change in the readings'}")
    out.append("")
    return out


def render_markdown(result: TraceResult) -> str:
    """The result as a Markdown document.

    Args:
        result: a finished trace.

    Returns:
        Markdown text: summary (likely source, ranking, verdict counts, thresholds), one section
        per article sentence with its matches, flags and chain, then the sacrebleu signatures.
    """
    labels = {o.label: o.lang for o in result.originals}
    counts = {v: sum(1 for s in result.sentences if s.verdict is v and not s.furniture) for v in Verdict}
    furniture = sum(1 for s in result.sentences if s.furniture)
    out = [f"# Quote trace: {result.article.label} ({result.article.lang})", ""]
    source = result.likely_source
    out.append(f"**Most likely source:** {source} ({labels[source]})" if source else "**No original matches the article.**")
    out.append("")
    out.append(" · ".join(f"{v.label}: {n}" for v, n in counts.items())
               + (f" · page furniture: {furniture}" if furniture else ""))
    out.append("")
    out += _attribution(result)
    out.append("| rank | original | language | best match for | found | mean chrF | pivot text from |")
    out.append("|---:|---|---|---:|---:|---:|---|")
    origin = {o.label: o.origin for o in result.originals}
    for rank, r in enumerate(result.ranking, 1):
        out.append(f"| {rank} | {_cell(r.label)} | {r.lang} | {r.best_for} | {r.found} | {r.mean_chrf:.1f} | {origin[r.label]} |")
    out.append("")
    t = result.thresholds
    out.append(
        f"Compared in `{result.pivot}` (article: {result.article.origin}). Verdicts: not found below "
        f"chrF {t.not_found_chrf:g}; changed with any flag; faithful at chrF ≥ {t.faithful_chrf:g} "
        f"without flags; paraphrased otherwise. Omitted/added clauses: ≥ {t.min_clause_tokens} words."
    )
    out.append("")
    hops = result.changes_by_hop()
    if hops:
        out.append("**Where the wording changed:**")
        out.append("")
        for h in hops:
            kinds = ", ".join(f"{k} × {c}" for k, c in h.kinds)
            which = ", ".join(str(i + 1) for i in h.sentences)
            out.append(f"- {h.source} → {h.target}: sentences {which}" + (f" ({kinds})" if kinds else ""))
        out.append("")
    out.append("## Sentences")
    out.append("")
    for s in result.sentences:
        out += _sentence(s, labels)
    if result.signatures:
        out.append("## Signatures")
        out.append("")
        out += [f"- `{sig}`" for sig in result.signatures]
        out.append("")
    return "\n".join(out)
