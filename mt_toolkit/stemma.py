"""Which version was made from which: the derivation tree (stemma) of the texts, from the texts.

This is the method of textual criticism (stemmatics) in small. Every version is *observed* (the
originals and the article are all at hand), so a candidate tree is a tree over the versions
themselves, and it is judged by parsimony: how many changes it needs to explain every reading
(`Character`) of every version. A change a version made is inherited by the versions made from
it, so versions that share departures sit on one line of descent; a tree that separates them
needs the same change twice.

Translation noise is modelled, not ignored: each version is read through its pivot-language text,
and a version that reached the pivot through a translation can differ from its true wording by
that translation alone. Such a difference is not inherited by anyone, so a reading only one
version has can be charged to that version's noise (``noise`` costs, per kind of reading and
per version) instead of to the tree. A version already in the pivot language has no such noise,
so its readings are taken at their word; this keeps the comparison from favouring it merely
because its text needs no translation (the error of ranking by surface similarity).

The tree is found by exhaustive search over trees in which the article is a leaf (up to
`MAX_EXHAUSTIVE` versions; beyond that by greedy insertion), with a small dynamic programme
(Sankoff's weighted parsimony) per reading. Parsimony fixes the tree but not its direction; the
root is chosen by readings whose change has a direction: a report adds attribution ("..., the
minister said") to the words it relays far more often than it strips it (``framing``). A user who
knows the order asserts it (`infer_stemma` ``chain=``), and the search keeps that order.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from mt_toolkit.errors import InputError

L = TypeVar("L", str, int)  # a version named by its label or by its position

__all__ = ["MAX_EXHAUSTIVE", "Character", "Stemma", "StemmaEdge", "infer_stemma", "latent_states", "support"]

#: Up to this many versions every tree is scored (6⁵ = 7776 trees for 7); beyond, greedy insertion.
MAX_EXHAUSTIVE = 7
#: Cost of a framing reading appearing along an edge, against disappearing (cost 1): a relay adds
#: attribution to the words it passes on; dropping attribution the source had is the rarer event.
FRAMING_GAIN = 0.25


@dataclass(frozen=True)
class Character:
    """One reading, present (1) or absent (0) in each version, or unknown (None).

    ``kind`` is ``typed`` (a figure, name, negation, modal), ``presence`` (the version holds the
    passage at all), ``wording`` (a content word) or ``framing`` (attribution); ``noise[v]`` is
    what it costs to explain version v's state as translation noise instead of a change.
    """

    locus: int
    name: str
    kind: str
    states: tuple[int | None, ...]
    weight: float
    noise: tuple[float, ...]


@dataclass(frozen=True)
class StemmaEdge:
    """One derivation, parent → child, with the readings that changed along it (the evidence)."""

    parent: str
    child: str
    changes: float  # weighted count of readings that changed here
    evidence: tuple[str, ...]  # a few of them, readable ("number 147.5 billion → 174.5 billion")


@dataclass(frozen=True)
class Stemma:
    """The derivation tree of the versions, rooted at the version all others descend from."""

    root: str
    edges: tuple[StemmaEdge, ...]
    asserted: bool  # True when the order was given by the user (--chain), not inferred
    cost: float  # the parsimony cost of the tree (lower explains the texts with fewer changes)
    rooting: str  # why this root ("asserted", "attribution added downstream", ...)
    parent_costs: tuple[tuple[str, float], ...] = ()  # cheapest tree cost per parent of the article

    def parent(self, label: str) -> str | None:
        """The version ``label`` was made from (None for the root)."""
        return next((e.parent for e in self.edges if e.child == label), None)

    def path(self, label: str) -> tuple[str, ...]:
        """The versions from the root down to ``label``, both included."""
        out = [label]
        while (up := self.parent(out[-1])) is not None:
            out.append(up)
        return tuple(reversed(out))


# --- parsimony ---------------------------------------------------------------------------------


def _cost(chars: _Matrix, parent: Sequence[int], order: Sequence[int], *, directed: bool) -> np.ndarray:
    """Sankoff's small parsimony on a rooted tree over observed nodes, for every character at once.

    ``parent[v]`` is v's parent (-1 at the root) and ``order`` lists nodes children first.
    Returns, per character, the cheapest weighted cost.
    """
    n = len(parent)
    # table[v][:, s]: the cheapest cost of v's subtree given v's latent state s
    table = [chars.noise_cost[:, v, :].copy() for v in range(n)]
    for v in order:
        p = parent[v]
        if p < 0:
            continue
        child = table[v]
        stay0, stay1 = child[:, 0], child[:, 1]
        if directed:  # gain (0 → 1 downstream) costs `gain`, loss costs `loss`
            from0 = np.minimum(stay0, stay1 + chars.gain)
            from1 = np.minimum(stay1, stay0 + chars.loss)
        else:
            from0 = np.minimum(stay0, stay1 + chars.change)
            from1 = np.minimum(stay1, stay0 + chars.change)
        table[p][:, 0] += from0
        table[p][:, 1] += from1
    root = order[-1]
    return np.minimum(table[root][:, 0], table[root][:, 1]) * chars.weight


class _Matrix:
    """The characters as arrays: noise cost of each state per node, and edge costs."""

    def __init__(self, chars: Sequence[Character], n: int) -> None:
        m = len(chars)
        self.weight = np.array([c.weight for c in chars], dtype=float)
        self.noise_cost = np.zeros((m, n, 2))
        for i, c in enumerate(chars):
            for v, state in enumerate(c.states):
                if state is not None:  # the other state costs this version's noise
                    self.noise_cost[i, v, 1 - state] = c.noise[v]
        self.change = np.ones(m)
        framing = np.array([c.kind == "framing" for c in chars], dtype=bool)
        self.gain = np.where(framing, FRAMING_GAIN, 1.0)
        self.loss = np.ones(m)


def _orient(adjacency: dict[int, list[int]], root: int, n: int) -> tuple[list[int], list[int]]:
    parent = [-1] * n
    order: list[int] = []
    seen = {root}
    stack = [root]
    while stack:
        v = stack.pop()
        order.append(v)
        for w in adjacency[v]:
            if w not in seen:
                seen.add(w)
                parent[w] = v
                stack.append(w)
    return parent, order[::-1]  # children before parents


def _from_prufer(seq: Sequence[int], n: int) -> list[tuple[int, int]]:
    degree = [1] * n
    for v in seq:
        degree[v] += 1
    edges = []
    for v in seq:
        leaf = next(u for u in range(n) if degree[u] == 1)
        edges.append((leaf, v))
        degree[leaf] -= 1
        degree[v] -= 1
    u, w = (k for k in range(n) if degree[k] == 1)
    edges.append((u, w))
    return edges


def _adjacency(edges: Sequence[tuple[int, int]], n: int) -> dict[int, list[int]]:
    adj: dict[int, list[int]] = {v: [] for v in range(n)}
    for a, b in edges:
        adj[a].append(b)
        adj[b].append(a)
    return adj


def _candidate_trees(n: int, leaf: int, fixed: Sequence[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Every tree on n nodes with ``leaf`` of degree one and the ``fixed`` edges present."""
    inner = [v for v in range(n) if v != leaf]
    if n == 2:
        return [[(0, 1)]]
    trees = []
    for seq in itertools.product(inner, repeat=n - 2):
        edges = _from_prufer(seq, n)
        pairs = {frozenset(e) for e in edges}
        if all(frozenset(e) in pairs for e in fixed):
            trees.append(edges)
    return trees


def _greedy_tree(n: int, leaf: int, score) -> list[tuple[int, int]]:
    """Insert versions one by one where they cost least (for more than `MAX_EXHAUSTIVE`)."""
    inner = [v for v in range(n) if v != leaf]
    edges: list[tuple[int, int]] = []
    placed = [inner[0]]
    for v in inner[1:] + [leaf]:
        options = [edges + [(u, v)] for u in placed]
        best = min(options, key=lambda e: score(e, placed + [v]))
        edges = best
        placed.append(v)
    return edges


# --- the search --------------------------------------------------------------------------------


def infer_stemma(
    labels: Sequence[str],
    characters: Sequence[Character],
    *,
    article: str,
    chain: Sequence[str] | None = None,
    describe=None,
    similarity: dict[str, float] | None = None,
) -> Stemma:
    """The most parsimonious derivation tree of ``labels``, rooted, with the article a leaf.

    Args:
        labels: every version, the article included; their order changes nothing (ties are
            broken by label, never by position).
        characters: the readings (`Character.states` in the order of ``labels``).
        article: the label of the article, which is always a leaf.
        chain: an order the user asserts, upstream first (the article last, or implied last);
            the tree then contains that path and is rooted at its first version.
        describe: ``describe(character, parent_state, child_state) -> str | None`` names a change
            for the evidence on an edge (None hides it).
        similarity: the article's surface similarity to each version; it only breaks ties
            between equally parsimonious trees (the article's parent is then the closer one).

    Returns:
        The tree, its cost, and each edge's changes.

    Raises:
        InputError: a ``chain`` naming an unknown version or one twice.
    """
    labels = list(labels)
    ranked = sorted(range(len(labels)), key=lambda k: labels[k])  # position-free tie-breaking
    perm = {old: new for new, old in enumerate(ranked)}
    names = [labels[k] for k in ranked]
    chars = [
        Character(c.locus, c.name, c.kind, tuple(c.states[k] for k in ranked), c.weight,
                  tuple(c.noise[k] for k in ranked))
        for c in characters
    ]
    del perm
    n = len(names)
    leaf = names.index(article)
    # Attribution is a shared departure like any other for the shape of the tree; its direction
    # (added downstream far more often than removed) then roots it.
    undirected = list(chars)
    framing = [c for c in chars if c.kind == "framing"]
    m_all = _Matrix(undirected, n) if undirected else None
    m_dir = _Matrix(framing, n) if framing else None

    fixed: list[tuple[int, int]] = []
    root_fixed: int | None = None
    if chain:
        steps = list(chain)
        if steps[-1] != article:
            steps.append(article)
        unknown = [s for s in steps if s not in names]
        if unknown or len(set(steps)) != len(steps):
            raise InputError(
                f"--chain must name each version once, from {', '.join(sorted(names))}; got {', '.join(chain)}"
            )
        idx = [names.index(s) for s in steps]
        fixed = list(zip(idx, idx[1:]))
        root_fixed = idx[0]

    def undirected_cost(edges: Sequence[tuple[int, int]], nodes: Sequence[int] | None = None) -> float:
        if m_all is None:
            return 0.0
        adj = _adjacency(edges, n)
        start = nodes[0] if nodes else leaf
        parent, order = _orient(adj, start, n)
        return float(_cost(m_all, parent, order, directed=False).sum())

    if n <= MAX_EXHAUSTIVE:
        trees = _candidate_trees(n, leaf, fixed)
    else:
        trees = [_greedy_tree(n, leaf, lambda e, nodes: undirected_cost(e, nodes))]

    def neighbour(edges) -> int:
        return next(b if a == leaf else a for a, b in edges if leaf in (a, b))

    def reach(edges) -> int:
        parent, _ = _orient(_adjacency(edges, n), leaf, n)
        return max(_depth(parent, v) for v in range(n))

    # Every tree under every root, judged by all the evidence (the shape by every reading, the
    # direction by attribution). Ties are broken, in order, by the article's surface similarity
    # to its parent (it only ever breaks ties), by the tree that puts the article farthest from
    # the other end (an article ends a relay), by the root farthest from the article (a chain is
    # read from its far end), by a root that more versions derive from (an original is
    # translated and relayed several times), then by label.
    options = []
    for edges in trees:
        shape = round(undirected_cost(edges), 6)
        adj = _adjacency(edges, n)
        near = similarity.get(names[neighbour(edges)], 0.0) if similarity else 0.0
        far = reach(edges)
        roots = [root_fixed] if root_fixed is not None else [v for v in range(n) if v != leaf]
        for r in roots:
            parent, order = _orient(adj, r, n)
            if fixed and any(parent[b] != a for a, b in fixed):
                continue
            directed = round(float(_cost(m_dir, parent, order, directed=True).sum()), 6) if m_dir else 0.0
            options.append(((round(shape + directed, 6), -near, -far, -_depth(parent, leaf), -len(adj[r]), names[r]),
                            directed, edges, parent, order, r))
    options.sort(key=lambda o: o[0])
    parent_costs: dict[str, float] = {}
    for key, _, edges, *_ in options:  # the cheapest explanation for each parent of the article
        parent_costs.setdefault(names[neighbour(edges)], key[0])
    key, directed_cost, edges, parent, order, root = options[0]
    best_cost = key[0] - directed_cost
    same_tree = [o for o in options if o[2] is edges and o[5] != root]
    if root_fixed is not None:
        rooting = "asserted"
    elif same_tree and min(o[1] for o in same_tree) > directed_cost:
        rooting = "attribution added downstream"
    elif same_tree and all(o[0][3] > key[3] for o in same_tree if o[0][0] == key[0]):
        rooting = "farthest from the article (no direction in the readings)"
    else:
        rooting = "the version most others derive from (no direction in the readings)"

    states = latent_states(chars, list(range(n)), {v: (parent[v] if parent[v] >= 0 else None) for v in range(n)})
    tree_edges = []
    for v in range(n):
        p = parent[v]
        if p < 0:
            continue
        changes, evidence = _edge_changes(chars, states, p, v, describe)
        tree_edges.append(StemmaEdge(names[p], names[v], round(changes, 3), evidence))
    tree_edges.sort(key=lambda e: (len(_path(parent, names.index(e.child))), e.parent, e.child))
    return Stemma(names[root], tuple(tree_edges), root_fixed is not None,
                  round(best_cost + directed_cost, 3), rooting,
                  tuple(sorted(((k, round(v, 3)) for k, v in parent_costs.items()), key=lambda kv: (kv[1], kv[0]))))


def _depth(parent: Sequence[int], v: int) -> int:
    return len(_path(parent, v)) - 1


def _path(parent: Sequence[int], v: int) -> list[int]:
    out = [v]
    while parent[out[-1]] >= 0:
        out.append(parent[out[-1]])
    return out[::-1]


def latent_states(chars: Sequence[Character], labels: Sequence[L], parents: Mapping[L, L | None]) -> list[dict[L, int]]:
    """The most parsimonious true state of each character at each version, on a given tree.

    Where a version's observed state is cheaper explained as translation noise, its latent state
    differs from what its pivot text shows; changes along an edge are latent changes.

    Args:
        chars: the characters (states in the order of ``labels``).
        labels: the versions.
        parents: each version's parent (None for the root).

    Returns:
        One {label: state} per character.
    """
    n = len(labels)
    index = {label: k for k, label in enumerate(labels)}
    parent = [index[up] if (up := parents.get(label)) is not None else -1 for label in labels]
    adj: dict[int, list[int]] = {v: [] for v in range(n)}
    for v, p in enumerate(parent):
        if p >= 0:
            adj[p].append(v)
    root = parent.index(-1)
    out = []
    for c in chars:
        tables: dict[int, list[float]] = {}

        def solve(v: int) -> list[float]:
            row = [0.0, 0.0]
            observed = c.states[v]
            if observed is not None:
                row[1 - observed] = c.noise[v]
            for w in adj[v]:
                child = solve(w)
                gain = FRAMING_GAIN if c.kind == "framing" else 1.0
                row[0] += min(child[0], child[1] + gain)
                row[1] += min(child[1], child[0] + 1.0)
            tables[v] = row
            return row

        solve(root)
        states: dict[int, int] = {}

        def assign(v: int, state: int) -> None:
            states[v] = state
            for w in adj[v]:
                gain = FRAMING_GAIN if c.kind == "framing" else 1.0
                t = tables[w]
                stay = t[state]
                move = t[1 - state] + (gain if state == 0 else 1.0)
                assign(w, state if stay <= move + 1e-12 else 1 - state)

        top = tables[root]
        assign(root, 0 if top[0] <= top[1] else 1)
        out.append({labels[v]: s for v, s in states.items()})
    return out


def _edge_changes(chars, states, p, v, describe) -> tuple[float, tuple[str, ...]]:
    total = 0.0
    notes: list[str] = []
    for c, s in zip(chars, states):
        if s.get(p) is None or s.get(v) is None or s[p] == s[v]:
            continue
        total += c.weight
        if describe is not None:
            note = describe(c, s[p], s[v])
            if note and note not in notes:
                notes.append(note)
    return total, tuple(notes[:8])


def support(costs: dict[str, float], *, temperature: float = 1.0) -> dict[str, float]:
    """Turn cost per alternative into shares that sum to one (lower cost, larger share).

    A difference of one unit of cost (one changed figure) makes an alternative e (≈ 2.7) times
    less likely; the shares are a readable confidence, not a calibrated probability.
    """
    if not costs:
        return {}
    low = min(costs.values())
    weights = {k: math.exp(-(c - low) / temperature) for k, c in costs.items()}
    total = sum(weights.values())
    return {k: w / total for k, w in weights.items()}
