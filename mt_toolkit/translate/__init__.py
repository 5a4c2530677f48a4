"""Translation: one Translator interface, backends behind it, routes through pivot languages.

Most scripts need only the front door, ``mt_toolkit.translate(texts, src=..., tgt=..., model=...)``
(calling this package calls it). The pieces underneath::

    from mt_toolkit.translate import DecodingOptions, Translation, Translator
    from mt_toolkit.translate.engine import load_translator, translate_sentences
    from mt_toolkit.translate.routing import plan_route

Importing this package imports no model library; the engine imports torch, transformers or
ctranslate2 when a model is loaded.
"""

from mt_toolkit._api import front_door
from mt_toolkit.translate.base import DecodingOptions, Hop, Hypothesis, ModelInfo, Translation, Translator

__all__ = ["DecodingOptions", "Hop", "Hypothesis", "ModelInfo", "Translation", "Translator"]

front_door(__name__)  # `mt_toolkit.translate(...)` is `mt_toolkit._api.translate(...)`
