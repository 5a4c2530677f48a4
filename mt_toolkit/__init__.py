"""mt-toolkit: machine translation and bilingual alignment for checking how quotes cross languages.

Importing this package does nothing heavy: torch, transformers and ctranslate2 are imported by
the functions that need them, when they are called.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
