"""Which version the article came from, sentence by sentence and overall: evidence of descent.

Surface similarity cannot answer this: an original already in the pivot language is compared
without translation noise, so it looks closest even when the article visibly follows a wire made
from it. Textual critics decide descent differently, and so does this module: a version that
shares the article's *departures* from the other versions (a changed figure, a dropped date, a
sentence only it has, wording the others lack) is the article's likely parent, because a change is
inherited by everything made from the version that made it.

The steps:

1. *Passages* (loci): sentences of all versions that render the same passage are grouped (the
   article's matches, and each original located in each other original).
2. *Readings* (`mt_toolkit.stemma.Character`): per passage, whether each version holds it, its
   typed readings (`mt_toolkit.fidelity.typed_readings`: figures, dates, names, negation, modal
   class), its content words and whether it attributes the words to someone.
3. *The tree* (`mt_toolkit.stemma.infer_stemma`): the most parsimonious derivation tree; the
   article's parent is the overall source, and the cost of the best tree under each other parent
   gives the confidence.
4. *Per sentence*: each article sentence is attached to each version that holds its passage, and
   the cheapest attachment (with a one-change penalty for leaving the overall source) names its
   source; an article that takes some sentences from elsewhere is reported as mixed.
5. *Changed at*: on the path from the root to the sentence's source, a hop changed the sentence
   when a reading changed there *and the article still carries the change*; a departure that the
   next version does not share is that version's translation noise, not a change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mt_toolkit.fidelity import content_words, has_attribution, typed_readings
from mt_toolkit.stemma import Character, Stemma, _cost, _Matrix, _orient, infer_stemma, latent_states, support

__all__ = [
    "Attribution", "Departure", "ModelScore", "SentenceSource", "SourceSupport", "VersionText", "attribute",
    "build_loci",
]

#: Weight of one changed content word against one changed figure, name, negation or modal (1.0):
#: wording is the weakest evidence (translators reword freely), so a dozen shared word choices
#: weigh about as much as one shared changed figure.
WORDING_WEIGHT = 0.25
#: What it costs to explain a reading as noise of the translation into the pivot, by kind: below
#: an edit (1.0) for wording, above it for typed readings (translation seldom changes a figure),
#: and high for versions whose pivot text is their own text (no translation, no noise).
NOISE = {
    "wording": (0.5, 2.0), "typed": (1.5, 3.0), "presence": (2.0, 2.0), "framing": (1.0, 3.0),
}
#: Noise of the article's presence: an article that takes a sentence from another version than
#: its main source is common (a mixed source), so its presence pattern is cheap to explain.
ARTICLE_PRESENCE_NOISE = 0.5
#: The cost of taking one sentence from another version than the article's overall source.
MIXING_PENALTY = 1.0


@dataclass(frozen=True)
class VersionText:
    """One version as attribution sees it: its pivot sentences and whether they were translated."""

    label: str
    pivot: tuple[str, ...]
    translated: bool  # False when the pivot text is the version's own text (no translation noise)


@dataclass(frozen=True)
class SourceSupport:
    """How well one original explains the article as its parent."""

    label: str
    share: float  # 0-1, shares over the originals sum to one
    cost: float  # parsimony cost of the best tree with the article made from it
    shared: tuple[str, ...]  # departures the article shares with it alone
    against: tuple[str, ...]  # its own departures the article does not share


@dataclass(frozen=True)
class Departure:
    """A reading that changed on one hop and that the article still carries."""

    source: str
    target: str
    kind: str  # number, date, name, negation, modal, presence
    detail: str  # "number 174.5 billion added"


@dataclass(frozen=True)
class SentenceSource:
    """The likely source(s) of one article sentence, with the evidence and where it changed."""

    index: int
    sources: tuple[str, ...]  # best first; several when they explain it equally; empty: none
    evidence: tuple[str, ...]
    mixed: bool  # True when its source is not the article's overall source
    path: tuple[str, ...] = ()  # root → ... → source → article
    changes: tuple[Departure, ...] = ()  # typed changes and added passages along the path


@dataclass(frozen=True)
class ModelScore:
    """The likelihood a translation model gives the article when forced to decode it from one
    candidate (Wastl, Vamvas and Sennrich, 2024): mean log-probability per target token."""

    label: str
    model: str
    backend: str
    mean_logprob: float
    sentences: int


@dataclass(frozen=True)
class Attribution:
    """The article's likely source overall and per sentence, and the derivation tree."""

    source: str | None
    confidence: float
    candidates: tuple[SourceSupport, ...]  # best first
    sentences: tuple[SentenceSource, ...]
    stemma: Stemma
    mixed: bool  # some sentences come from another version than ``source``
    model_scores: tuple[ModelScore, ...] = ()


# --- passages ----------------------------------------------------------------------------------


def build_loci(
    versions: Sequence[VersionText],
    links: Sequence[tuple[str, int, str, tuple[int, ...]]],
) -> list[dict[str, tuple[int, ...]]]:
    """Group sentences of all versions into passages that render the same content.

    Args:
        versions: every version.
        links: (label, sentence, other label, other sentences) pairs found to match.

    Returns:
        One {label: sentence indices} per passage; every sentence of every version is in one.
    """
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for v in versions:
        for i in range(len(v.pivot)):
            find((v.label, i))
    for a, i, b, js in links:
        for j in js:
            parent[find((a, i))] = find((b, j))
    groups: dict[tuple[str, int], dict[str, list[int]]] = {}
    for v in versions:
        for i in range(len(v.pivot)):
            groups.setdefault(find((v.label, i)), {}).setdefault(v.label, []).append(i)
    return [{k: tuple(sorted(ix)) for k, ix in g.items()} for g in groups.values()]


def _characters(versions: Sequence[VersionText], loci: Sequence[dict[str, tuple[int, ...]]], article: str) -> tuple[list[Character], dict[tuple[int, str], str]]:
    labels = [v.label for v in versions]
    by_label = {v.label: v for v in versions}
    surface: dict[tuple[int, str], str] = {}
    chars: list[Character] = []

    def noise(kind: str) -> tuple[float, ...]:
        out = []
        for v in versions:
            if kind == "presence" and v.label == article:
                out.append(ARTICLE_PRESENCE_NOISE)
            elif kind == "typed" and v.label == article:
                out.append(NOISE["typed"][1])  # the article's own departures are real
            else:
                out.append(NOISE[kind][0 if v.translated else 1])
        return tuple(out)

    noise_of = {kind: noise(kind) for kind in NOISE}
    for n, locus in enumerate(loci):
        if len(locus) < 2 and article in locus:
            continue  # the article's own sentence: explains nothing about descent
        texts = {label: " ".join(by_label[label].pivot[k] for k in ix) for label, ix in locus.items()}
        # The article lacking a passage or a word is no evidence (an article excerpts, and its
        # translation loses words independently of any source); what it *has* is evidence.
        present = tuple(1 if label in locus else (None if label == article else 0) for label in labels)
        if len({p for p in present if p is not None}) > 1:
            chars.append(Character(n, "presence", "presence", present, 1.0, noise_of["presence"]))
        if len(locus) < 2:
            continue
        typed = {label: typed_readings(t) for label, t in texts.items()}
        words = {label: content_words(t) for label, t in texts.items()}
        lowered = {label: {w[:5] for w in t.lower().split()} | {w.strip('.,;:"“”«»()')[:5] for w in t.lower().split()}
                   for label, t in texts.items()}
        framing = {label: has_attribution(t) for label, t in texts.items()}
        for key in sorted({k for r in typed.values() for k in r}):
            # a name is present when its word is, in any casing ("the government" has "Government")
            name = key[5:] if key.startswith("name:") else None
            states = tuple(
                (1 if key in typed[label] or (name is not None and name in lowered[label]) else 0)
                if label in locus else None
                for label in labels
            )
            if len({s for s in states if s is not None}) > 1:
                chars.append(Character(n, key, "typed", states, 1.0, noise_of["typed"]))
                surface[(n, key)] = next(typed[label][key] for label in labels if label in typed and key in typed[label])
        for word in sorted({w for ws in words.values() for w in ws}):
            states = tuple((1 if word in words[label] else (None if label == article else 0))
                           if label in locus else None for label in labels)
            if len({s for s in states if s is not None}) > 1:
                chars.append(Character(n, f"word:{word}", "wording", states, WORDING_WEIGHT, noise_of["wording"]))
        states = tuple((1 if framing[label] else 0) if label in locus else None for label in labels)
        if len({s for s in states if s is not None}) > 1:
            chars.append(Character(n, "framing", "framing", states, 1.0, noise_of["framing"]))
    return chars, surface


def _describe(surface: dict[tuple[int, str], str], sentence_of: dict[int, int]) -> Callable:
    def describe(c: Character, before: int, after: int) -> str | None:
        where = f" (article sentence {sentence_of[c.locus] + 1})" if c.locus in sentence_of else ""
        if c.kind == "typed":
            kind = c.name.split(":", 1)[0]
            text = surface.get((c.locus, c.name), c.name)
            if kind == "number" and c.name.startswith("number:month"):
                kind = "date"
            return f"{kind} {text} {'added' if after else 'dropped'}{where}"
        if c.kind == "presence":
            return f"passage {'added' if after else 'dropped'}{where}"
        if c.kind == "framing":
            return f"attribution {'added' if after else 'dropped'}{where}"
        return None

    return describe


# --- attribution -------------------------------------------------------------------------------


def attribute(
    article: VersionText,
    originals: Sequence[VersionText],
    links: Sequence[tuple[str, int, str, tuple[int, ...]]],
    *,
    chain: Sequence[str] | None = None,
    model_scores: Sequence[ModelScore] = (),
    similarity: dict[str, float] | None = None,
) -> Attribution:
    """Decide the article's source overall and per sentence, and infer the derivation tree.

    Args:
        article: the article.
        originals: the candidate originals, in any order (the order changes nothing).
        links: sentence matches between versions (see `build_loci`), the article's included.
        chain: an order the user knows, upstream first (see `mt_toolkit.stemma.infer_stemma`).
        model_scores: model likelihoods to record as evidence (they do not move the decision
            until their weight is measured on real models).
        similarity: the article's surface similarity to each original (mean chrF); it breaks
            ties between equally parsimonious trees and nothing else.

    Returns:
        The overall source with its confidence and evidence, each sentence's source(s), path
        and changes, and the tree.

    Raises:
        InputError: a ``chain`` naming an unknown version or one twice.
    """
    versions = [article, *originals]
    labels = [v.label for v in versions]
    loci = build_loci(versions, links)
    locus_of = {i: n for n, locus in enumerate(loci) for i in locus.get(article.label, ())}
    sentence_of = {n: min(locus[article.label]) for n, locus in enumerate(loci) if article.label in locus}
    chars, surface = _characters(versions, loci, article.label)
    describe = _describe(surface, sentence_of)
    stemma = infer_stemma(labels, chars, article=article.label, chain=chain, describe=describe, similarity=similarity)
    parent = stemma.parent(article.label)

    costs = dict(stemma.parent_costs)
    shares = support(costs)
    candidates = []
    for label in costs:
        shared, against = _shared(chars, labels, article.label, label, describe)
        candidates.append(SourceSupport(label, round(shares[label], 3), costs[label], shared, against))
    if parent is not None and all(c.label != parent for c in candidates):
        candidates.append(SourceSupport(parent, 1.0, stemma.cost, (), ()))
    candidates.sort(key=lambda c: (c.label != parent, c.cost, c.label))

    parents = {label: stemma.parent(label) for label in labels}
    sentences = []
    for i in range(len(article.pivot)):
        n = locus_of.get(i)
        holders = [label for label in loci[n] if label != article.label] if n is not None else []
        if n is None or not holders:
            sentences.append(SentenceSource(i, (), ("found in no original",), False))
            continue
        local = [c for c in chars if c.locus == n]
        scored = []
        for h in holders:
            tree = dict(parents)
            tree[article.label] = h
            if parent in holders:  # leaving the overall source is one more event to explain
                penalty, prior = (0.0 if h == parent else MIXING_PENALTY), _hops(parents, parent, h)
            else:  # the source lacks it: the article took it from elsewhere, most often the original
                penalty, prior = MIXING_PENALTY / 2, _hops(parents, None, h)
            scored.append((round(_tree_cost(local, labels, tree) + penalty, 6), prior, h))
        scored.sort()
        best_cost = scored[0][0]
        sources = tuple(h for c, _, h in scored if c <= best_cost + 1e-9)
        evidence = _sentence_evidence(local, labels, article.label, sources[0], describe)
        if parent not in holders:
            evidence = (f"not in {parent}",) + evidence
        path, changes = _changes(local, labels, parents, loci[n], article.label, sources[0], describe)
        sentences.append(SentenceSource(i, sources, evidence, sources[0] != parent, path, changes))
    mixed = any(s.mixed for s in sentences)
    confidence = candidates[0].share if candidates else 0.0
    return Attribution(parent, confidence, tuple(candidates), tuple(sentences), stemma, mixed, tuple(model_scores))


def _changes(local, labels, parents, locus, article, source, describe) -> tuple[tuple[str, ...], tuple[Departure, ...]]:
    """The path root → source → article, and the changes along it that reached the article.

    A reading that changed on a hop counts only if every later version on the path, the article
    included, still carries it: a departure the next version lacks is noise (or a change the
    article did not inherit), not where the article's sentence changed.
    """
    up = [source]
    while parents.get(up[-1]) is not None:
        up.append(parents[up[-1]])
    path = tuple(reversed(up)) + (article,)
    tree = dict(parents)
    tree[article] = source
    states = latent_states(local, labels, tree)
    a = labels.index(article)
    out: list[Departure] = []
    first = next(k for k, v in enumerate(path) if v in locus)
    if first > 0:
        out.append(Departure(path[first - 1], path[first], "presence", "passage added"))
    for k in range(first, len(path) - 1):
        u, v = path[k], path[k + 1]
        if u not in locus or v not in locus:
            continue
        for c, s in zip(local, states):
            if c.kind != "typed" or s[u] == s[v]:
                continue
            later = [s[w] for w in path[k + 1:-1]] + [c.states[a]]
            if all(x == s[v] for x in later):
                kind = "date" if c.name.startswith("number:month") else c.name.split(":", 1)[0]
                detail = describe(c, s[u], s[v]) or c.name
                out.append(Departure(u, v, kind, detail.split(" (article")[0]))
    return path, tuple(out)


def _hops(parents: dict[str, str | None], a: str | None, b: str) -> int:
    """Edges between two versions on the tree; with ``a`` None, the depth of ``b``."""
    def ancestry(label: str) -> list[str]:
        line = [label]
        while (up := parents.get(line[-1])) is not None:
            line.append(up)
        return line

    if a is None:
        return len(ancestry(b)) - 1
    up_a, up_b = ancestry(a), ancestry(b)
    common = next((x for x in up_a if x in up_b), None)
    if common is None:
        return len(up_a) + len(up_b)
    return up_a.index(common) + up_b.index(common)


def _tree_cost(chars: Sequence[Character], labels: Sequence[str], parents: dict[str, str | None]) -> float:
    if not chars:
        return 0.0
    index = {label: k for k, label in enumerate(labels)}
    adj: dict[int, list[int]] = {k: [] for k in range(len(labels))}
    root = 0
    for label, p in parents.items():
        if p is None:
            root = index[label]
        else:
            adj[index[label]].append(index[p])
            adj[index[p]].append(index[label])
    parent, order = _orient(adj, root, len(labels))
    undirected = list(chars)
    framing = [c for c in chars if c.kind == "framing"]
    total = 0.0
    if undirected:
        total += float(_cost(_Matrix(undirected, len(labels)), parent, order, directed=False).sum())
    if framing:
        total += float(_cost(_Matrix(framing, len(labels)), parent, order, directed=True).sum())
    return total


def _shared(chars, labels, article, label, describe) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Readings the article shares with ``label`` alone, and ``label``'s own the article lacks."""
    a, x = labels.index(article), labels.index(label)
    shared, against, words_shared, words_against = [], [], 0, 0
    for c in chars:
        known = [k for k, s in enumerate(c.states) if s is not None]
        if len(known) < 3 or c.states[a] is None or c.states[x] is None:
            continue
        others = [c.states[k] for k in known if k not in (a, x)]
        if c.states[a] == c.states[x] and all(s != c.states[a] for s in others):
            if c.kind == "wording":
                words_shared += 1
            elif (note := describe(c, 1 - c.states[a], c.states[a])):
                shared.append(note)
        elif c.states[a] != c.states[x] and all(s != c.states[x] for s in others):
            if c.kind == "wording":
                words_against += 1
            elif (note := describe(c, 1 - c.states[x], c.states[x])):
                against.append(note)
    if words_shared:
        shared.append(f"{words_shared} word choice{'s' if words_shared != 1 else ''} only it shares with the article")
    if words_against:
        against.append(f"{words_against} word choice{'s' if words_against != 1 else ''} of its own")
    return tuple(dict.fromkeys(shared)), tuple(dict.fromkeys(against))


def _sentence_evidence(chars, labels, article, source, describe) -> tuple[str, ...]:
    a, x = labels.index(article), labels.index(source)
    notes, words = [], 0
    for c in chars:
        if c.states[a] is None or c.states[x] is None or c.states[a] != c.states[x]:
            continue
        differ = [labels[k] for k, s in enumerate(c.states) if s is not None and k not in (a, x) and s != c.states[a]]
        if not differ:
            continue
        if c.kind == "wording":
            words += 1
            continue
        note = describe(c, 1 - c.states[a], c.states[a])
        if note:
            notes.append(f"{note.split(' (article')[0]}: shared with {source}, not {', '.join(differ)}")
    if words:
        notes.append(f"{words} word choice{'s' if words != 1 else ''} shared with {source} against another version")
    return tuple(dict.fromkeys(notes))[:6]
