"""Sentence alignment and quote location.

Most scripts need only the front doors, ``mt_toolkit.align(source, target, src=..., tgt=...)``
(calling this package calls it) and ``mt_toolkit.locate(quote, original, src=..., tgt=...)``.
The pieces underneath::

    from mt_toolkit.align import align_sentences, locate_quote, similarity_matrix, Bead, QuoteMatch

Modules: `similarity` (character n-gram and embedding vectors), `spaces` (how two texts are made
comparable), `dp` (the banded coarse-to-fine bead DP), `aligner` (documents in, beads out),
`beads` (the Bead record and its formats), `locate` (quote location), `passage` (aligning a
located passage with a window of the original), `overlap` (clipped n-gram F-score for a few
candidate spans), `scoring` (strict/lax P/R/F1 against gold beads).
"""

from mt_toolkit._api import front_door
from mt_toolkit.align.aligner import AlignOptions, align_sentences, align_with_spaces
from mt_toolkit.align.beads import FORMATS, Bead, beads_to_text, parse_beads, read_beads, write_beads
from mt_toolkit.align.dp import CostOptions, SearchOptions
from mt_toolkit.align.locate import LocateOptions, QuoteMatch, locate_quote
from mt_toolkit.align.scoring import AlignmentScore, score_alignments
from mt_toolkit.align.similarity import NgramOptions
from mt_toolkit.align.spaces import comparable_spaces, similarity_matrix

__all__ = [
    "FORMATS",
    "AlignOptions",
    "AlignmentScore",
    "Bead",
    "CostOptions",
    "LocateOptions",
    "NgramOptions",
    "QuoteMatch",
    "SearchOptions",
    "align_sentences",
    "align_with_spaces",
    "beads_to_text",
    "comparable_spaces",
    "locate_quote",
    "parse_beads",
    "read_beads",
    "score_alignments",
    "similarity_matrix",
    "write_beads",
]

front_door(__name__)  # `mt_toolkit.align(...)` is `mt_toolkit._api.align(...)`
