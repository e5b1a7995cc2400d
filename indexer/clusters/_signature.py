"""MinHash signatures (datasketch) and the similarity estimates the cluster relation uses.

A signature is ``num_perm`` 32-bit minima (datasketch's ``affine32`` scheme), stored as bytes.
``signature`` computes datasketch's values itself in numpy (the SHA1 of each shingle, the
MurmurHash3 finalizer, then ``a * h + b`` in uint32): the same bytes as ``minhash(...).hashvalues``
(tests/test_clusters.py compares them) at a fraction of the cost of datasketch's per-value calls.
Jaccard similarity is estimated as the share of equal minima; containment of the smaller set in the
larger follows from it and the two set sizes: ``|A ∩ B| = J / (1 + J) * (|A| + |B|)``.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

import numpy as np

__all__ = ["containment", "from_bytes", "jaccard", "minhash", "signature", "to_bytes"]


@functools.cache
def _permutations(num_perm: int, seed: int) -> Any:
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations


def minhash(shingles: set[str], num_perm: int, seed: int) -> Any:
    """A datasketch ``MinHash`` of the shingles (permutations computed once per process)."""
    from datasketch import MinHash

    m = MinHash(
        num_perm=num_perm, seed=seed, scheme="affine32", permutations=_permutations(num_perm, seed)
    )
    if shingles:
        m.update_batch([s.encode("utf-8") for s in sorted(shingles)])
    return m


_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))


def _sha1_32(shingles: set[str]) -> np.ndarray[Any, Any]:
    """datasketch's ``sha1_hash32`` of each shingle (its UTF-8 bytes), as uint32."""
    sha1 = hashlib.sha1
    data = b"".join([sha1(s.encode()).digest()[:4] for s in shingles])
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def signature(shingles: set[str], num_perm: int, seed: int) -> np.ndarray[Any, Any]:
    """The signature (``uint32`` array) of a shingle set: ``minhash(...).hashvalues``.

    >>> s = {"курск делег посет", "делег посет витеб"}
    >>> bool((signature(s, 128, 1) == minhash(s, 128, 1).hashvalues).all())
    True
    """
    if not shingles:
        return np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    a, b = _permutations(num_perm, seed)
    s1, m1, s2, m2 = _FMIX
    hv = _sha1_32(shingles)
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = (hv ^ (hv >> s1))[:, None]
    return np.asarray((hv * a + b).min(axis=0), dtype=np.uint32)


def to_bytes(sig: np.ndarray[Any, Any]) -> bytes:
    """A signature as stored (little-endian uint32)."""
    return np.asarray(sig, dtype="<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray[Any, Any]:
    """A stored signature back as an array."""
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def jaccard(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.count_nonzero(a == b)) / len(a)


def containment(j: float, size_a: int, size_b: int) -> float:
    """Estimated share of the smaller set found in the larger one, from Jaccard and sizes."""
    small = min(size_a, size_b)
    if small <= 0:
        return 0.0
    return min(1.0, j / (1.0 + j) * (size_a + size_b) / small)
