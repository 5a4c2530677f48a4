"""Synthetic quote chains from FLORES-200 dev, with the truth known: who was made from whom,
which sentence each article sentence came from, and at which hop each sentence changed.

One chain (`make_chain`):

- **Root**: two consecutive FLORES documents (4-10 English sentences; FLORES dev is line-parallel,
  so the same sentences exist in Indonesian, Russian, Chinese and Kazakh), in a random language
  (English in 40% of chains: the case where surface similarity is most misleading).
- **Versions**: a path of 1-3 intermediate versions from the root to the article, each in another
  language than its parent, and in half the chains a side version (an "official" translation of
  the root, or a second wire made from a version on the path) that the article did not use.
  Every derived version has a *translator*: its English content is the parent's reworded
  (`paraphrase`, rate 0.25), and this wording is inherited by everything made from it.
- **Edits** at known hops, on the content: figure changed, date (month) dropped, negation inserted
  or removed, modal swapped, name replaced, trailing clause (5+ words) dropped, sentence added
  (a FLORES sentence from elsewhere), sentence dropped, strong rewording (not a change of
  meaning). Wires (not the official translation) add attribution to some sentences
  ("..., the agency reported") as relays do. The article adds 0-2 unrelated lines of its own.
- **Mixed sources** (30% of chains): one article sentence is translated from another version than
  the parent: from the root when the parent dropped it, or from the side wire (with an edit only
  that wire made) when there is one.
- **Pivot texts**: each version not in English is read through an English translation, simulated
  as an independent rewording (rate 0.3) that nobody inherits; an English version is its own
  pivot (no noise). The texts in their own language are the FLORES lines of the same sentences
  (they are not compared; the supplied pivots are), one sentence per line.
- The originals are shuffled and given neutral labels, so neither order nor names tell the tree.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from paraphrase import paraphrase

LANGS = ("eng", "ind", "rus", "zho", "kaz")
LANG_CODE = {"eng": "en", "ind": "id", "rus": "ru", "zho": "zh", "kaz": "kk"}
AGENCIES = ["Novosti", "Antara", "Xinhua", "Kazinform", "Tempo", "Interfax", "Bernama", "Reuters"]
NAMES = ["Sugiarto", "Petrova", "Halvorsen", "Okafor", "Lindqvist", "Moreau", "Takeda", "Barzani",
         "Kowalski", "Delacroix", "Ivanova", "Santoso", "Whitfield", "Nakamura", "Ferreira"]
LABELS = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel"]
MODAL_SWAP = {"will": "may", "must": "might", "can": "must", "should": "will", "may": "must",
              "could": "must", "would": "might", "might": "must"}
MONTHS = ("January February March April June July August September October November December").split()
MEANING_EDITS = ("figure", "date", "negation", "modality", "name", "clause")


@dataclass
class Unit:
    """One sentence of content: where it came from (FLORES line or added) and its English text."""

    uid: str
    line: int  # FLORES line for its text in other languages
    text: str


@dataclass
class Version:
    label: str
    lang: str
    parent: str | None
    units: list[Unit]
    pivot: list[str] = field(default_factory=list)
    role: str = "wire"  # root, wire, official, article


@dataclass
class Chain:
    """One generated case with its truth."""

    versions: list[Version]  # originals shuffled, then the article
    source: str  # the article's parent
    sentence_sources: list[str | None]  # per article sentence; None = the article's own
    changed_at: list[tuple[str, ...]]  # per article sentence: "A → B" hops with a meaning change
    edits: list[tuple[str, str, str]]  # (hop, unit, kind), all of them, for the record


def load_flores(folder: Path) -> tuple[dict[str, list[str]], list[list[int]]]:
    """The dev sentences per language and the documents (runs of lines sharing a URL)."""
    texts = {lang: (folder / f"dev.{lang}.txt").read_text(encoding="utf-8").splitlines() for lang in LANGS}
    urls = [row.split("\t")[0] for row in (folder / "metadata_dev.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    docs: list[list[int]] = []
    for i, url in enumerate(urls):
        if docs and urls[docs[-1][-1]] == url:
            docs[-1].append(i)
        else:
            docs.append([i])
    return texts, docs


# --- edits ---------------------------------------------------------------------------------------


def _edit(kind: str, text: str, rng: random.Random) -> str | None:
    """Apply one meaning edit to an English sentence, or None when it has nothing to edit."""
    if kind == "figure":
        nums = list(re.finditer(r"(?<![\w.,])\d+(?:[.,]\d+)?(?![\w])", text))
        if not nums:
            return None
        m = rng.choice(nums)
        raw = m.group(0)
        if "." in raw or "," in raw:
            new = raw[::-1] if raw[::-1] != raw and not raw[::-1].startswith(("0", ".", ",")) else raw + "5"
        else:
            value = int(raw)
            new = str(value + rng.choice([1, 2, 3, 7, 10, 20]) if value < 1900 or value > 2100 else value + 1)
        return text[: m.start()] + new + text[m.end():]
    if kind == "date":
        months = [m for m in re.finditer(r"\b(" + "|".join(MONTHS) + r")\b", text)]
        if not months:
            return None
        m = rng.choice(months)
        out = (text[: m.start()] + text[m.end():]).replace("  ", " ")
        return re.sub(r"\b(on|in) ([,.])", r"\2", out)
    if kind == "negation":
        if re.search(r"\bnot\b", text):
            return re.sub(r"\s?\bnot\b", "", text, count=1)
        m = re.search(r"\b(is|are|was|were|will|can|could|would|should|has|have|had|did|does|do)\b", text)
        if not m:
            return None
        return text[: m.end()] + " not" + text[m.end():]
    if kind == "modality":
        m = re.search(r"\b(" + "|".join(MODAL_SWAP) + r")\b", text)
        if not m or (m.group(0) == "may" and text[m.start()] == "M"):
            return None
        return text[: m.start()] + MODAL_SWAP[m.group(0)] + text[m.end():]
    if kind == "name":
        cands = [m for m in re.finditer(r"(?<=[a-z,] )[A-Z][a-z]{3,}\b", text)
                 if m.group(0) not in MONTHS and m.group(0) not in AGENCIES and m.group(0) != "According"]
        if not cands:
            return None
        m = rng.choice(cands)
        return text[: m.start()] + rng.choice([n for n in NAMES if n != m.group(0)]) + text[m.end():]
    if kind == "clause":
        cut = text.rfind(", ")
        if cut < 0:
            return None
        tail = text[cut + 2:].rstrip(".!?")
        if len(tail.split()) < 5 or len(text[:cut].split()) < 4:
            return None
        return text[:cut] + text[-1] if text[-1] in ".!?" else text[:cut] + "."
    raise ValueError(kind)


def _attribute(text: str, agency: str, rng: random.Random) -> str:
    """Frame a sentence as relayed ("..., Novosti reported."), as a wire does."""
    body = text.rstrip(".!? ")
    if rng.random() < 0.5:
        return f"{body}, {agency} reported."
    return f"According to {agency}, {body[0].lower() + body[1:] if not body[:2].isupper() else body}."


# --- the generator ------------------------------------------------------------------------------


def make_chain(seed: int, texts: dict[str, list[str]], docs: list[list[int]], *,
               latent_rate: float = 0.4, pivot_rate: float = 0.6) -> Chain:
    """Generate one chain (deterministic for a seed); see the module docstring."""
    rng = random.Random(seed)
    eng = texts["eng"]
    d = rng.randrange(len(docs) - 1)
    lines = docs[d] + docs[d + 1]
    lines = lines[:10]
    counter = iter(range(10_000))
    root_lang = "eng" if rng.random() < 0.4 else rng.choice(["rus", "zho", "ind", "kaz"])
    labels = rng.sample(LABELS, len(LABELS))
    root = Version(labels.pop(), root_lang, None, [Unit(f"u{next(counter)}", k, eng[k]) for k in lines], role="root")
    versions = [root]
    edits: list[tuple[str, str, str]] = []
    unit_changes: dict[str, list[tuple[str, str]]] = {}  # uid -> [(hop, kind)]

    def other_line() -> int:
        while True:
            k = rng.randrange(len(eng))
            if k not in lines:
                return k

    def derive(parent: Version, role: str, lang: str | None = None) -> Version:
        lang = lang or rng.choice([x for x in LANGS if x != parent.lang])
        label = labels.pop()
        hop = f"{parent.label} → {label}"
        units = [Unit(u.uid, u.line, paraphrase(u.text, rng, latent_rate)) for u in parent.units]
        n_edits = rng.choice([0, 1, 1, 2, 2, 3]) if role != "official" else rng.choice([0, 0, 1])
        for _ in range(n_edits):
            kind = rng.choice(MEANING_EDITS + ("added", "dropped", "reword"))
            if kind == "added":
                k = other_line()
                pos = rng.randrange(len(units) + 1)
                units.insert(pos, Unit(f"u{next(counter)}", k, eng[k]))
                unit_changes.setdefault(units[pos].uid, []).append((hop, "added"))
                edits.append((hop, units[pos].uid, kind))
                continue
            if not units:
                continue
            if kind == "dropped":
                if len(units) > 3:
                    gone = units.pop(rng.randrange(len(units)))
                    edits.append((hop, gone.uid, kind))
                continue
            order = rng.sample(range(len(units)), len(units))
            for j in order:
                if kind == "reword":
                    units[j].text = paraphrase(units[j].text, rng, 0.8)
                    edits.append((hop, units[j].uid, kind))
                    break
                if any(k == kind for _, k in unit_changes.get(units[j].uid, [])):
                    continue  # no edit that undoes an earlier one: it would leave no trace
                new = _edit(kind, units[j].text, rng)
                if new and new != units[j].text:
                    units[j].text = new
                    unit_changes.setdefault(units[j].uid, []).append((hop, kind))
                    edits.append((hop, units[j].uid, kind))
                    break
        if role == "wire":
            agency = rng.choice(AGENCIES)
            for u in units:
                if rng.random() < 0.3 and "reported" not in u.text and "According to" not in u.text:
                    u.text = _attribute(u.text, agency, rng)
        return Version(label, lang, parent.label, units, role=role)

    path = [root]
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        path.append(derive(path[-1], "wire"))
        versions.append(path[-1])
    side = None
    if rng.random() < 0.5:
        if rng.random() < 0.5:
            side = derive(root, "official", "eng" if root.lang != "eng" else rng.choice(["rus", "zho"]))
        else:
            side = derive(rng.choice(path[:-1]) if len(path) > 1 else root, "wire")
        versions.append(side)

    parent = path[-1]
    article_label = "article"
    hop = f"{parent.label} → {article_label}"
    article_lang = rng.choice(["ind", "ind", "rus", "kaz"] if parent.lang != "ind" else ["rus", "kaz", "zho"])
    units = [Unit(u.uid, u.line, paraphrase(u.text, rng, latent_rate)) for u in parent.units]
    sources: dict[str, str | None] = {u.uid: parent.label for u in units}
    # mixed source: a sentence from elsewhere
    if rng.random() < 0.3:
        dropped = [u for u in root.units if u.uid not in sources]
        side_edited = [u for u in (side.units if side and side.role == "wire" else [])
                       if any(h.endswith(f"→ {side.label}") for h, _ in unit_changes.get(u.uid, []))]
        if not dropped and not side_edited and len(units) > 3:  # the parent drops one: take it from the root
            k = rng.randrange(len(units))
            gone = units.pop(k)
            parent.units = [u for u in parent.units if u.uid != gone.uid]
            del sources[gone.uid]
            edits.append((f"{parent.parent} → {parent.label}", gone.uid, "dropped"))
            dropped = [u for u in root.units if u.uid == gone.uid]
        if dropped:
            u = rng.choice(dropped)
            pos = min(len(units), next((k for k, x in enumerate(units) if x.line > u.line), len(units)))
            units.insert(pos, Unit(u.uid, u.line, paraphrase(u.text, rng, latent_rate)))
            sources[u.uid] = root.label
        elif side_edited:
            u = rng.choice(side_edited)
            for k, x in enumerate(units):
                if x.uid == u.uid:
                    units[k] = Unit(u.uid, u.line, paraphrase(u.text, rng, latent_rate))
                    sources[u.uid] = side.label
    article_changes: dict[str, list[tuple[str, str]]] = {}
    for _ in range(rng.choice([0, 1, 1, 2])):
        kind = rng.choice(MEANING_EDITS + ("reword",))
        for j in rng.sample(range(len(units)), len(units)):
            if kind == "reword":
                units[j].text = paraphrase(units[j].text, rng, 0.8)
                break
            if any(k == kind for _, k in unit_changes.get(units[j].uid, [])):
                continue
            new = _edit(kind, units[j].text, rng)
            if new and new != units[j].text:
                units[j].text = new
                article_changes.setdefault(units[j].uid, []).append((f"{sources[units[j].uid]} → {article_label}", kind))
                edits.append((hop, units[j].uid, kind))
                break
    for _ in range(rng.choice([0, 1, 1, 2])):  # the article's own unrelated lines
        k = other_line()
        pos = rng.randrange(len(units) + 1)
        units.insert(pos, Unit(f"u{next(counter)}", k, eng[k]))
        sources[units[pos].uid] = None
    article = Version(article_label, article_lang, parent.label, units, role="article")

    # truth per article sentence: the hops on its path that changed its meaning
    parent_of = {v.label: v.parent for v in versions}
    sentence_sources, changed = [], []
    for u in units:
        src = sources[u.uid]
        sentence_sources.append(src)
        if src is None:
            changed.append(())
            continue
        on_path = set()
        node = src
        while node is not None:
            up = parent_of[node]
            if up is not None:
                on_path.add(f"{up} → {node}")
            node = up
        hops = {h for h, _ in unit_changes.get(u.uid, []) if h in on_path}
        hops |= {h for h, _ in article_changes.get(u.uid, [])}
        changed.append(tuple(sorted(hops)))

    # pivot texts: an English version is its own; the others are read through a translation
    for v in versions + [article]:
        v.pivot = [u.text if v.lang == "eng" else paraphrase(u.text, rng, pivot_rate) for u in v.units]
    originals = versions[:]
    rng.shuffle(originals)
    return Chain(originals + [article], parent.label, sentence_sources, changed, edits)


def own_language_text(v: Version, texts: dict[str, list[str]]) -> str:
    """The version in its own language, one sentence a line (FLORES lines; English: the pivot)."""
    if v.lang == "eng":
        return "\n".join(v.pivot)
    return "\n".join(texts[v.lang][u.line] for u in v.units)
