"""Sentence similarity for alignment: character n-gram vectors compared by cosine.

Why character n-grams: once one side is translated into the other side's language (by the user's
MT, or by our engine), the surface overlap of character n-grams is what chrF measures, and it is a
strong, model-free signal that copes with inflection, compounds and tokenisation quirks. We keep
chrF's spirit (n-grams of characters, orders 1..6) but compare tf-idf weighted count vectors by
cosine instead of computing clipped-count F-scores, because a cosine is a dot product, and dot
products are what lets the aligner stay fast:

* the vector of a concatenation of sentences is the *sum* of their count vectors, so the
  similarity of a 2-3 bead follows from the pairwise dot products of single sentences
  (the aligner never re-featurises merged text);
* dot products between hundreds of sentences are one BLAS matrix product.

Vectors are built for the whole document in a few numpy passes (a rolling hash over the
code points of all sentences at once) and hashed into ``dims`` buckets with a random sign per
n-gram (feature hashing), so the expected dot product equals the exact one and collisions add
zero-mean noise of order ``1/sqrt(dims)``. Inverse document frequency is computed per document
pair over both sides, so n-grams that occur everywhere ("e ", "de") count little.

Like chrF, which averages its per-order scores, each n-gram order gets the same total weight
(`NgramOptions.equal_orders`): under plain tf-idf the rare long n-grams would dominate, and
weak MT often shares only short stems with the reference side.

Multilingual sentence embeddings (LaBSE through sentence-transformers, optional extra
``embeddings``) plug into the same interface as dense vectors.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mt_toolkit.errors import BackendUnavailable, InputError, missing_extra

__all__ = [
    "NgramOptions",
    "SentenceVectors",
    "VectorSpace",
    "ngram_space",
    "embedding_space",
    "cosine_matrix",
]

# Odd 64-bit multipliers for the rolling hash and the final mixing (splitmix64 constants).
_ROLL = np.uint64(0x100000001B3)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_SPACE_RE = re.compile(r"\s+")
_ORDER_BITS = 3  # n-gram orders up to 7 are told apart inside a key


@dataclass(frozen=True)
class NgramOptions:
    """How sentences become character n-gram vectors.

    Attributes:
        orders: n-gram lengths; chrF uses 1..6, unigrams carry almost no alignment signal.
        dims: hash buckets; 4096 keeps collision noise near 0.015 in cosine while a band of
            a few hundred sentences is a cheap matrix product.
        lowercase: compare case-insensitively (headings in capitals are common).
        seed: varies the hash (and so which n-grams collide); fixed for reproducibility.
        equal_orders: give each n-gram order the same weight, as chrF averages its orders.
            Plain tf-idf lets the long, rare n-grams (orders 5–6, high idf) dominate, which
            suits fluent MT but drowns the short shared stems that are all weak MT gets right;
            each order's weights are scaled so its mean squared sentence norm is 1. A global
            factor per order (per document pair), so a span's vector is still the sum of its
            sentences' vectors.
    """

    orders: tuple[int, ...] = (2, 3, 4, 5, 6)
    dims: int = 4096
    lowercase: bool = True
    seed: int = 0
    equal_orders: bool = True


class SentenceVectors:
    """One side's sentence vectors, from which dense (summed) rows are made on demand.

    Stored sparsely (CSR: ``indptr``, ``cols``, ``vals``) for n-grams, or densely for embeddings.
    ``block(start, stop, group)`` returns the dense vectors of units ``start..stop-1`` where unit
    ``u`` is the sum of sentences ``u*group .. u*group+group-1``, which is how the coarse levels
    of the aligner see the text.
    """

    def __init__(
        self,
        n: int,
        dims: int,
        *,
        indptr: np.ndarray | None = None,
        cols: np.ndarray | None = None,
        vals: np.ndarray | None = None,
        dense: np.ndarray | None = None,
    ) -> None:
        self.n = n
        self.dims = dims
        self._indptr = indptr
        self._cols = cols
        self._vals = vals
        self._dense = dense

    def __len__(self) -> int:
        return self.n

    def block(self, start: int, stop: int, group: int = 1) -> np.ndarray:
        """Dense float32 vectors of units ``start..stop-1`` (unit = ``group`` sentences summed)."""
        start = max(start, 0)
        units = max(0, min(stop, -(-self.n // group)) - start)
        out_rows = units
        if units == 0:
            return np.zeros((0, self.dims), dtype=np.float32)
        first, last = start * group, min((start + units) * group, self.n)
        if self._dense is not None:
            rows = self._dense[first:last]
            if group == 1:
                return np.ascontiguousarray(rows, dtype=np.float32)
            unit_of_row = (np.arange(first, last) // group) - start
            out = np.zeros((out_rows, self.dims), dtype=np.float32)
            np.add.at(out, unit_of_row, rows)
            return out
        indptr, cols, vals = self._indptr, self._cols, self._vals
        if indptr is None or cols is None or vals is None:
            raise ValueError("SentenceVectors needs either dense vectors or all of indptr, cols and vals")
        lo, hi = indptr[first], indptr[last]
        counts = np.diff(indptr[first : last + 1])
        unit_of_row = (np.arange(first, last) // group) - start
        unit = np.repeat(unit_of_row, counts)
        flat = unit.astype(np.int64) * self.dims + cols[lo:hi]
        summed = np.bincount(flat, weights=vals[lo:hi], minlength=out_rows * self.dims)
        return summed.reshape(out_rows, self.dims).astype(np.float32)

    def neighbour_dots(self, span: int, group: int = 1) -> np.ndarray:
        """``G[u, d] = <v_u, v_{u+d}>`` for ``d < span`` (zero past the end): norms of merged units."""
        units = -(-self.n // group)
        out = np.zeros((units, span), dtype=np.float64)
        step = 1024
        for start in range(0, units, step):
            stop = min(start + step, units)
            vecs = self.block(start, stop + span - 1, group).astype(np.float64)
            m = stop - start
            for d in range(span):
                width = min(m, vecs.shape[0] - d)
                if width > 0:
                    out[start : start + width, d] = np.einsum(
                        "ij,ij->i", vecs[:width], vecs[d : d + width]
                    )
        return out


@dataclass(frozen=True)
class VectorSpace:
    """Two sides made comparable: ``left[i]`` and ``right[j]`` live in one vector space.

    ``name`` says how (e.g. ``"ngram:src-mt~tgt"`` for SRC's translation against TGT).
    ``texts`` holds the two sides' texts in the compared language for spaces made of text
    (n-grams), None for embeddings: quote location scores its few candidate spans on the
    texts themselves as well, and must know which texts each space compared.
    """

    name: str
    left: SentenceVectors
    right: SentenceVectors
    texts: tuple[Sequence[str], Sequence[str]] | None = None


def _normalise(sentence: str, lowercase: bool) -> str:
    text = _SPACE_RE.sub(" ", sentence).strip()
    return f" {text.lower() if lowercase else text} "


def _ngram_keys(sentences: Sequence[str], options: NgramOptions, sent_bits: int) -> np.ndarray:
    """One uint64 per n-gram occurrence: the n-gram's hash, then its order, then its sentence."""
    texts = [_normalise(s, options.lowercase) for s in sentences]
    joined = "\x00".join(texts) + "\x00"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    sep_before = np.concatenate(([0], np.cumsum(codes == 0)))  # separators in codes[:k]
    sent_of_pos = sep_before[:-1].astype(np.uint64)
    seed = np.uint64(options.seed * 0x9E3779B97F4A7C15 % 2**64)
    high = ~np.uint64((1 << (sent_bits + _ORDER_BITS)) - 1)
    if max(options.orders) >= 1 << _ORDER_BITS:
        raise ValueError(f"n-gram orders must be below {1 << _ORDER_BITS}")
    keys = []
    rolling = np.zeros(codes.shape[0], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for n in range(1, max(options.orders) + 1):
            valid_len = codes.shape[0] - n + 1
            if valid_len <= 0:
                break
            rolling = rolling[:valid_len] * _ROLL + codes[n - 1 : n - 1 + valid_len]
            if n not in options.orders:
                continue
            ok = (sep_before[n : n + valid_len] - sep_before[:valid_len]) == 0
            hashed = _mix(rolling[ok] ^ (np.uint64(n) * _MIX2 + seed))
            # Key layout, high to low: hash, order (``_ORDER_BITS``, for its weighting), sentence.
            order_bits = np.uint64(n << sent_bits)
            keys.append((hashed & high) | order_bits | sent_of_pos[:valid_len][ok])
    return np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)


def _mix(h: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        h = (h ^ (h >> np.uint64(30))) * _MIX1
        h = (h ^ (h >> np.uint64(27))) * _MIX2
        return h ^ (h >> np.uint64(31))


def ngram_space(
    left: Sequence[str],
    right: Sequence[str],
    *,
    name: str = "ngram",
    options: NgramOptions = NgramOptions(),
) -> VectorSpace:
    """Character n-gram tf-idf vectors of two sentence lists written in the same language.

    Args:
        left, right: the two sides (e.g. SRC's machine translation and TGT).
        name: a label recorded with the space.
        options: n-gram orders, hash dimensions, case folding.

    Returns:
        A `VectorSpace` whose dot products approximate tf-idf weighted n-gram overlap.
    """
    n_left = len(left)
    n_docs = n_left + len(right)
    sent_bits = max(1, (max(n_docs, 2) - 1).bit_length())
    shift = np.uint64(sent_bits)
    # One sort of the combined key (hash bits above, sentence below) groups equal (n-gram,
    # sentence) pairs (their run length is the term frequency) inside runs of equal n-grams
    # (the number of distinct sentences in a run is the document frequency).
    key = _ngram_keys(list(left) + list(right), options, sent_bits)
    key.sort()
    # Temporaries are freed as soon as they are used: at 20,000 × 20,000 sentences they are
    # arrays of some 30 million entries.
    new_pair = np.ones(key.shape[0], dtype=bool)
    np.not_equal(key[1:], key[:-1], out=new_pair[1:])
    starts = np.flatnonzero(new_pair)
    del new_pair
    tf = np.diff(np.append(starts, key.shape[0])).astype(np.float32)
    pair_key = key[starts]
    del key, starts
    u_sent = (pair_key & np.uint64((1 << sent_bits) - 1)).astype(np.int32)
    u_hash = pair_key >> shift
    del pair_key
    new_gram = np.ones(u_hash.shape[0], dtype=bool)
    np.not_equal(u_hash[1:], u_hash[:-1], out=new_gram[1:])
    gram_id = np.cumsum(new_gram, dtype=np.int32) - 1
    del new_gram
    idf = np.log((n_docs + 1.0) / (np.bincount(gram_id) + 0.5)).astype(np.float32)
    weight = tf * idf[gram_id]
    del tf, gram_id
    if options.equal_orders:
        order = (u_hash & np.uint64((1 << _ORDER_BITS) - 1)).astype(np.int64)
        squares = np.bincount(order, weights=weight.astype(np.float64) ** 2, minlength=8)
        scale = np.sqrt(max(n_docs, 1) / np.maximum(squares, 1e-12)).astype(np.float32)
        weight *= scale[order]
        del order
    mixed = _mix(u_hash)
    del u_hash
    dims = options.dims
    bucket = (mixed % np.uint64(dims)).astype(np.int32)
    weight[(mixed >> np.uint64(63)) == 1] *= -1.0  # random sign: collisions cancel on average
    del mixed
    by_sentence = np.argsort(u_sent, kind="stable")  # CSR wants each sentence's entries together
    u_sent, bucket, weight = u_sent[by_sentence], bucket[by_sentence], weight[by_sentence]
    del by_sentence
    bounds = np.searchsorted(u_sent, [0, n_left, n_docs])

    def side(lo_sent: int, hi_sent: int, first: int, last: int) -> SentenceVectors:
        n = hi_sent - lo_sent
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(u_sent[first:last] - lo_sent, minlength=n), out=indptr[1:])
        return SentenceVectors(n, dims, indptr=indptr, cols=bucket[first:last], vals=weight[first:last])

    return VectorSpace(
        name, side(0, n_left, bounds[0], bounds[1]), side(n_left, n_docs, bounds[1], bounds[2]),
        texts=(left, right),
    )


def embedding_space(
    left: Sequence[str],
    right: Sequence[str],
    *,
    model: str = "sentence-transformers/LaBSE",
    device: str | None = None,
    batch_size: int = 64,
    on_progress: Callable[[int, int], None] | None = None,
) -> VectorSpace:
    """Multilingual sentence embeddings of two sides in any languages (optional extra).

    A merged bead is represented by the sum of its sentences' unit vectors, an approximation
    of embedding the concatenated text that keeps the aligner's cost linear.

    ``model`` is found the way translation models are (`mt_toolkit.translate.loading`): a
    folder saved by sentence-transformers, or a hub id loaded from the local cache without
    touching the network when it is there (or when ``HF_HUB_OFFLINE`` is set), so an offline
    machine fails at once with one line instead of retrying an unreachable hub.

    Raises:
        BackendUnavailable: sentence-transformers is not installed, or the folder holds no
            loadable model.
        InputError: ``model`` names a folder that does not exist.
        ModelNotFoundError: a hub id that is neither cached nor downloadable now.
    """
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        raise missing_extra("sentence-transformers", "embeddings") from None
    from mt_toolkit.translate.loading import looks_like_path, not_found, resolve_model

    from_hub = not looks_like_path(model)
    if from_hub:
        location, local_only = model, resolve_model(model).local_files_only
    else:
        folder = Path(model).expanduser()
        if not folder.is_dir():
            raise InputError(f"embedding model folder {model} does not exist")
        location, local_only = str(folder), True
    try:
        encoder = _load_encoder(location, device, local_only)
    except (OSError, ValueError) as err:  # no model there (ValueError: a folder without one)
        if from_hub and isinstance(err, OSError):  # neither cached nor reachable
            raise not_found(model, revision=None, cause=err, flag="--embeddings") from None
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0][:200]
        raise BackendUnavailable(f"cannot load embedding model from {model} ({reason})") from None
    texts = list(left) + list(right)
    chunk = 16 * batch_size  # progress is reported after each chunk
    parts = []
    for start in range(0, len(texts), chunk):
        parts.append(encoder.encode(texts[start : start + chunk], batch_size=batch_size,
                                    normalize_embeddings=True, show_progress_bar=False))
        if on_progress is not None:
            on_progress(min(start + chunk, len(texts)), len(texts))
    vectors = np.concatenate(parts).astype(np.float32)
    dims = vectors.shape[1]
    n_left = len(left)
    return VectorSpace(
        f"embedding:{model}",
        SentenceVectors(n_left, dims, dense=vectors[:n_left]),
        SentenceVectors(len(right), dims, dense=vectors[n_left:]),
    )


@functools.lru_cache(maxsize=1)
def _load_encoder(location: str, device: str | None, local_only: bool):
    """The last encoder loaded, kept: a library user locating many quotes in a loop would
    otherwise reload LaBSE (1.8 GB) for every call. One at a time, so memory stays bounded."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(location, device=device, local_files_only=local_only)


def cosine_matrix(spaces: Sequence[VectorSpace]) -> np.ndarray:
    """Full sentence-by-sentence cosine matrix, averaged over ``spaces`` (for short texts).

    Quadratic in memory: meant for quotes against documents and for drawing, not for the
    aligner's inner loop.
    """
    if not spaces:
        raise ValueError("at least one vector space is needed")
    first, *rest = spaces
    total = _cosine_matrix_of(first)
    for space in rest:
        total = total + _cosine_matrix_of(space)
    return total / len(spaces)


def _cosine_matrix_of(space: VectorSpace) -> np.ndarray:
    """Cosine of every left sentence with every right sentence of one space."""
    a = space.left.block(0, space.left.n).astype(np.float64)
    b = space.right.block(0, space.right.n).astype(np.float64)
    na = np.sqrt(np.maximum((a * a).sum(axis=1), 1e-12))
    nb = np.sqrt(np.maximum((b * b).sum(axis=1), 1e-12))
    return (a @ b.T) / np.outer(na, nb)
