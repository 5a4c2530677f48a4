"""mt-toolkit: machine translation and bilingual alignment for checking how quotes cross languages.

Importing this package does nothing heavy: torch, transformers and ctranslate2 are imported by
the functions that need them, when they are called.
"""

from mt_toolkit._version import __version__

__all__ = ["__version__"]
