"""Translation: one Translator interface, backends behind it, routes through pivot languages.

Public entry points::

    from mt_toolkit.translate import DecodingOptions, load_translator, plan_route, translate_sentences
"""

from mt_toolkit.translate.base import DecodingOptions, Hop, Hypothesis, ModelInfo, Translation, Translator

__all__ = ["DecodingOptions", "Hop", "Hypothesis", "ModelInfo", "Translation", "Translator"]
