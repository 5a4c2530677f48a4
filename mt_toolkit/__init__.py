"""mt-toolkit: machine translation and bilingual alignment for checking how quotes cross languages.

One function per job, each returning the records the CLI prints::

    import mt_toolkit

    translator = mt_toolkit.load_translator("Helsinki-NLP/opus-mt-id-en")   # load once ...
    result = mt_toolkit.translate(["Kami siap."], src="id", tgt="en", model=translator)  # ... reuse
    result[0].text, result[0].hops

    mt_toolkit.score(hypotheses, references, lang="en")        # [Score(BLEU ...), chrF2, TER]
    mt_toolkit.align(source, target, src="id", tgt="en")       # [Bead ...]
    mt_toolkit.locate(quote, original, src="id", tgt="zh")     # [QuoteMatch ...]
    mt_toolkit.trace(article, originals, pivot="en")           # TraceResult

Importing this package does nothing heavy: every name is imported on first use, and torch,
transformers and ctranslate2 only when a model is loaded. Errors a user can fix are
`MtToolkitError`s (see `mt_toolkit.errors`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from mt_toolkit._version import __version__

__all__ = [
    "Bead",
    "Hop",
    "MtToolkitError",
    "QuoteMatch",
    "Score",
    "TraceInput",
    "TraceResult",
    "Translation",
    "Translator",
    "__version__",
    "align",
    "load_translator",
    "locate",
    "score",
    "trace",
    "translate",
]

# name -> (module, attribute); attribute None: the module itself (a callable front door).
_LAZY: dict[str, tuple[str, str | None]] = {
    "translate": ("mt_toolkit.translate", None),
    "align": ("mt_toolkit.align", None),
    "trace": ("mt_toolkit.trace", None),
    "locate": ("mt_toolkit._api", "locate"),
    "score": ("mt_toolkit._api", "score"),
    "load_translator": ("mt_toolkit.translate.engine", "load_translator"),
    "MtToolkitError": ("mt_toolkit.errors", "MtToolkitError"),
    "Translation": ("mt_toolkit.translate.base", "Translation"),
    "Hop": ("mt_toolkit.translate.base", "Hop"),
    "Translator": ("mt_toolkit.translate.base", "Translator"),
    "Bead": ("mt_toolkit.align.beads", "Bead"),
    "QuoteMatch": ("mt_toolkit.align.locate", "QuoteMatch"),
    "Score": ("mt_toolkit.metrics", "Score"),
    "TraceInput": ("mt_toolkit.trace", "TraceInput"),
    "TraceResult": ("mt_toolkit.trace", "TraceResult"),
}

if TYPE_CHECKING:  # what static checkers and editors see; at run time __getattr__ imports lazily
    from mt_toolkit._api import align, locate, score, trace, translate
    from mt_toolkit.align.beads import Bead
    from mt_toolkit.align.locate import QuoteMatch
    from mt_toolkit.errors import MtToolkitError
    from mt_toolkit.metrics import Score
    from mt_toolkit.trace import TraceInput, TraceResult
    from mt_toolkit.translate.base import Hop, Translation, Translator
    from mt_toolkit.translate.engine import load_translator


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'mt_toolkit' has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
