"""A rule-based English paraphraser: the wording noise of a translation, without a model.

Two things in a quote chain reword a text, and the attribution benchmark needs both:

- the *translator* of each version words it their own way, and everything made from that version
  inherits those words (through its translation);
- the *pivot translation* a version is read through (its English translation, when it is not in
  English) rewords it again, and nothing inherits that.

Both are simulated with the same rules at chosen rates, seeded: synonym swaps from a hand-written
table (content words only; never numbers, names, negators, modals or verbs of saying, which are
the readings the flags check), moving a leading adverbial clause to the end of the sentence,
function-word changes ("in order to" → "to", "a number of" → "several"), and tense/aspect jitter
("has been" → "was"). It is deliberately not meaning-changing: the benchmark injects meaning
changes separately, at known hops.
"""

from __future__ import annotations

import random
import re

SYNONYMS = [
    ("big", "large"), ("large", "major"), ("small", "little"), ("begin", "start"), ("began", "started"),
    ("help", "assist"), ("helped", "assisted"), ("buy", "purchase"), ("bought", "purchased"),
    ("show", "demonstrate"), ("showed", "demonstrated"), ("shows", "demonstrates"), ("use", "employ"),
    ("used", "employed"), ("uses", "employs"), ("important", "significant"), ("quickly", "rapidly"),
    ("fast", "rapid"), ("about", "around"), ("around", "roughly"), ("also", "too"),
    ("people", "persons"), ("country", "nation"), ("countries", "nations"), ("city", "town"),
    ("area", "region"), ("areas", "regions"), ("many", "numerous"), ("often", "frequently"),
    ("try", "attempt"), ("tried", "attempted"), ("get", "obtain"), ("got", "obtained"),
("make", "produce"), ("made", "produced"),
    ("find", "discover"), ("found", "discovered"), ("give", "provide"), ("gave", "provided"),
    ("think", "believe"), ("thought", "believed"), ("very", "highly"), ("hard", "difficult"),
    ("end", "finish"), ("ended", "finished"), ("new", "novel"),
    ("main", "principal"), ("whole", "entire"), ("enough", "sufficient"), ("near", "close to"),
    ("maybe", "perhaps"), ("because", "since"), ("but", "however,"), ("while", "whereas"),
    ("children", "kids"), ("job", "work"), ("jobs", "work"), ("look", "appear"), ("looks", "appears"),
    ("seem", "appear"), ("seems", "appears"), ("area", "zone"), ("team", "group"), ("world", "globe"),
    ("trip", "journey"), ("travel", "journey"), ("building", "structure"), ("road", "route"),
    ("house", "home"), ("car", "vehicle"), ("cars", "vehicles"), ("ship", "vessel"), ("boat", "vessel"),
    ("money", "funds"), ("rich", "wealthy"), ("poor", "needy"), ("sick", "ill"), ("illness", "disease"),
    ("illnesses", "diseases"), ("doctor", "physician"), ("doctors", "physicians"), ("kill", "slay"),
    ("killed", "slain"), ("died", "perished"), ("hurt", "injured"), ("fire", "blaze"),
    ("answer", "reply"), ("ask", "inquire"), ("asked", "inquired"), ("allow", "permit"),
    ("allowed", "permitted"), ("choose", "select"), ("chose", "selected"), ("enter", "go into"),
    ("leave", "depart"), ("left", "departed"), ("arrive", "reach"), ("arrived", "reached"),
    ("happen", "occur"), ("happened", "occurred"), ("place", "location"), ("places", "locations"),
    ("part", "portion"), ("usually", "typically"), ("mostly", "largely"), ("almost", "nearly"),
    ("however", "nevertheless"), ("therefore", "thus"), ("whole", "complete"), ("story", "account"),
    ("idea", "notion"), ("problem", "issue"), ("problems", "issues"), ("result", "outcome"),
    ("level", "degree"), ("type", "kind"), ("types", "kinds"), ("way", "manner"), ("ways", "manners"),
    ("announced", "declared"), ("announce", "declare"), ("said", "stated"), ("says", "states"),
    ("government", "authorities"), ("officials", "authorities"), ("company", "firm"),
    ("companies", "firms"), ("president", "leader"), ("minister", "secretary"), ("police", "law enforcement"),
    ("later", "subsequently"), ("now", "currently"), ("recently", "lately"), ("still", "yet"),
    ("went", "travelled"), ("go", "travel"), ("come", "arrive"), ("came", "arrived"), ("take", "carry"),
    ("took", "carried"), ("put", "placed"), ("keep", "retain"), ("kept", "retained"), ("build", "construct"),
    ("built", "constructed"), ("create", "establish"), ("created", "established"), ("change", "alter"),
    ("changed", "altered"), ("increase", "rise"), ("increased", "rose"), ("decrease", "decline"),
    ("reduced", "cut"), ("receive", "get"), ("received", "got"), ("include", "comprise"),
    ("included", "comprised"), ("includes", "comprises"), ("known", "recognized"), ("call", "name"),
    ("called", "named"), ("plan", "scheme"), ("plans", "schemes"), ("event", "occasion"),
    ("meeting", "session"), ("report", "account"), ("reports", "accounts"), ("research", "study"),
    ("researchers", "scientists"), ("scientists", "researchers"), ("study", "research"), ("test", "trial"),
    ("tests", "trials"), ("water", "waters"), ("sea", "ocean"), ("land", "ground"), ("light", "illumination"),
    ("huge", "enormous"), ("tiny", "minute"), ("high", "elevated"), ("low", "reduced"), ("long", "lengthy"),
    ("short", "brief"), ("early", "initial"), ("late", "delayed"), ("local", "regional"), ("national", "state"),
    ("international", "global"), ("different", "various"), ("similar", "comparable"), ("same", "identical"),
    ("common", "widespread"), ("popular", "well-liked"), ("famous", "renowned"), ("possible", "feasible"),
    ("likely", "probable"), ("clear", "evident"), ("strong", "powerful"), ("weak", "feeble"),
    ("dangerous", "hazardous"), ("safe", "secure"), ("easy", "simple"), ("simple", "easy"),
    ("beautiful", "lovely"), ("good", "fine"), ("bad", "poor"), ("best", "finest"), ("great", "considerable"),
    ("form", "shape"), ("kind", "sort"), ("group", "band"), ("member", "participant"), ("members", "participants"),
    ("visitors", "tourists"), ("tourists", "visitors"), ("travellers", "visitors"), ("time", "period"),
    ("times", "occasions"), ("year", "twelvemonth"), ("season", "period"), ("game", "match"), ("games", "matches"),
    ("win", "victory"), ("won", "secured"), ("lost", "was defeated in"), ("player", "athlete"),
    ("players", "athletes"), ("fans", "supporters"), ("animals", "creatures"), ("animal", "creature"),
    ("plants", "vegetation"), ("food", "meals"), ("eat", "consume"), ("ate", "consumed"), ("live", "reside"),
    ("lived", "resided"), ("lives", "resides"), ("work", "labour"), ("worked", "laboured"),
    ("system", "mechanism"), ("information", "data"), ("data", "information"), ("example", "instance"),
    ("language", "tongue"), ("languages", "tongues"), ("culture", "civilisation"), ("history", "past"),
    ("century", "hundred years"), ("rule", "regulation"), ("rules", "regulations"), ("law", "legislation"),
    ("laws", "legislation"), ("war", "conflict"), ("army", "military"), ("soldiers", "troops"),
    ("attack", "assault"), ("attacked", "assaulted"), ("damage", "harm"), ("damaged", "harmed"),
    ("storm", "tempest"), ("weather", "climate"), ("region", "area"), ("island", "isle"), ("mountain", "peak"),
    ("mountains", "peaks"), ("river", "waterway"), ("forest", "woodland"), ("street", "avenue"),
    ("streets", "avenues"), ("hotel", "lodging"), ("room", "chamber"), ("door", "entrance"),
    ("start", "launch"), ("started", "launched"), ("stop", "halt"), ("stopped", "halted"),
    ("continue", "carry on"), ("continued", "carried on"), ("include", "contain"), ("reach", "attain"),
    ("reached", "attained"), ("move", "shift"), ("moved", "shifted"), ("turn", "rotate"),
    ("believe", "consider"), ("believed", "considered"), ("know", "realise"), ("understand", "grasp"),
    ("wanted", "wished"), ("want", "wish"), ("hope", "expect"), ("hoped", "expected"),
    ("able", "capable"), ("following", "after"), ("across", "throughout"), ("inside", "within"),
    ("outside", "beyond"), ("almost", "virtually"), ("only", "merely"), ("just", "simply"),
    ("really", "truly"), ("especially", "particularly"), ("particularly", "especially"),
    ("generally", "broadly"), ("currently", "presently"), ("finally", "eventually"),
]
_SYN: dict[str, list[str]] = {}
for a, b in SYNONYMS:
    _SYN.setdefault(a, []).append(b)
    _SYN.setdefault(b, []).append(a)

FUNCTION_SWAPS = [
    (r"\bin order to\b", "to"), (r"\ba number of\b", "several"), (r"\bseveral\b", "a number of"),
    (r"\bhas been\b", "was"), (r"\bhave been\b", "were"), (r"\bhad been\b", "was"),
    (r"\bdue to\b", "because of"), (r"\bbecause of\b", "due to"), (r"\bas well as\b", "and"),
    (r"\bsuch as\b", "like"), (r"\bamong\b", "between"), (r"\bwhich\b", "that"),
    (r"\bthat is\b", "which is"), (r"\bin addition\b", "additionally"), (r"\bafter\b", "following"),
    (r"\bbefore\b", "prior to"), (r"\bduring\b", "throughout"), (r"\buntil\b", "till"),
]
_LEADING = re.compile(
    r"^(On|In|At|After|Before|During|When|While|Although|Because|Since|According to|Following|Despite|Over|Last|This|Earlier)\b([^,]{3,60}),\s+(.*?)([.!?])?$"
)


def _match_case(word: str, like: str) -> str:
    return word[0].upper() + word[1:] if like[:1].isupper() else word


def paraphrase(sentence: str, rng: random.Random, rate: float) -> str:
    """Reword one English sentence at roughly ``rate`` (0-1) of its chances to change.

    Args:
        sentence: an English sentence.
        rng: the random source (seeded by the caller).
        rate: the chance of each eligible change (each synonym, each function-word pattern,
            the clause move).

    Returns:
        The reworded sentence (its meaning, figures, names, negation and modals unchanged).
    """
    text = sentence
    if rng.random() < rate:
        m = _LEADING.match(text)
        if m and m.group(3) and m.group(3)[0].isalpha():
            head = (m.group(1) + m.group(2)).strip()
            head = head[0].lower() + head[1:]
            rest = m.group(3)
            text = f"{rest[0].upper()}{rest[1:]} {head}{m.group(4) or '.'}"
    for pattern, repl in FUNCTION_SWAPS:
        if rng.random() < rate and re.search(pattern, text, flags=re.I):
            text = re.sub(pattern, lambda m: _match_case(repl, m.group(0)), text, count=1, flags=re.I)

    def swap(m: re.Match) -> str:
        word = m.group(0)
        options = _SYN.get(word.lower())
        if not options or rng.random() >= rate or (word[0].isupper() and m.start() > 0):
            return word
        return _match_case(rng.choice(options), word)

    text = re.sub(r"[A-Za-z]+", swap, text)
    # coordination order ("cancer and malaria" → "malaria and cancer")
    if rng.random() < rate:
        text = re.sub(r"\b([a-z]{3,}) and ([a-z]{3,})\b", lambda m: f"{m.group(2)} and {m.group(1)}", text, count=1)
    # "the X of the Y" → "the Y's X"
    if rng.random() < rate:
        text = re.sub(r"\bthe ([a-z]{3,}) of the ([a-z]{3,})\b", lambda m: f"the {m.group(2)}'s {m.group(1)}", text, count=1)
    # determiners and tense: what translations between languages without articles or tense
    # marking (Chinese, Indonesian, Russian) shift most
    words = text.split(" ")
    for k, w in enumerate(words[1:], 1):
        if w in ("the", "a") and rng.random() < rate * 0.5:
            words[k] = {"the": "this" if rng.random() < 0.3 else "", "a": "one" if False else "the"}[w]
        elif w in ("is", "are") and rng.random() < rate * 0.3:
            words[k] = {"is": "was", "are": "were"}[w]
        elif w in ("was", "were") and rng.random() < rate * 0.3:
            words[k] = {"was": "had been", "were": "had been"}[w]
    return " ".join(w for w in words if w)
