"""The Whoosh backend's evaluation of a query tree: one pass over postings, numpy arrays after that.

``compile_tree`` analyzes the tree's words once (each text field with its language's analyzer) into
a plan; ``evaluate`` runs the plan over each segment (``indexer._columns.Segment``) and gives, per
segment, a boolean match array and a BM25F score array (the formula and statistics of Whoosh's
``BM25F``: idf ``log(N / (df + 1)) + 1``, ``B = 0.75``, ``K1 = 1.2``, field boosts). Totals,
facets and the top hits are array operations over those; phrases are checked on positions of the
documents that hold every phrase word, all at once.
"""

from __future__ import annotations

import bisect
import fnmatch
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.errors import QueryError
from indexer._columns import Segment
from indexer._qtree import Every, Filter, Node, Not, Or, Phrase, Prefix, Range, Word
from indexer._schema import TEXT_FIELDS

__all__ = ["Plan", "Stats", "compile_tree", "evaluate", "word_terms"]

B, K1 = 0.75, 1.2
MAX_EXPANSION = 512  # terms a prefix or pattern may stand for, per field and segment
_SHIFT = np.int64(32)  # phrase keys: document number << 32 | position


@dataclass(frozen=True)
class _Terms:
    """A word: (field, term, boost) alternatives; any of them matches."""

    terms: tuple[tuple[str, str, float], ...]


@dataclass(frozen=True)
class _Phrase:
    """Per field, the phrase's positions, each a tuple of alternative terms."""

    fields: tuple[tuple[str, float, tuple[tuple[str, ...], ...]], ...]


@dataclass(frozen=True)
class _Expand:
    """A prefix (``pattern`` empty) or a wildcard pattern over the lemmas of ``fields``."""

    fields: tuple[tuple[str, float], ...]
    prefix: str
    pattern: str


@dataclass(frozen=True)
class _Keyword:
    field: str
    value: str
    prefix: bool = False
    high: str | None = None  # a range value..high (high as a prefix); None: not a range


@dataclass(frozen=True)
class _All:
    pass


@dataclass(frozen=True)
class _Bool:
    op: str  # "and" | "or"
    items: tuple[Plan, ...]
    negated: tuple[Plan, ...] = ()


Plan = _Terms | _Phrase | _Expand | _Keyword | _All | _Bool


def _fields_of(fields: tuple[str, ...]) -> list[tuple[str, float]]:
    names = fields or tuple(TEXT_FIELDS)
    return [(f, TEXT_FIELDS.get(f, 1.0)) for f in names]


def word_terms(node: Word, schema: Any) -> list[tuple[str, str, float]]:
    """The (field, term, boost) alternatives of a word."""
    plan = _word(node, schema)
    return list(plan.terms) if isinstance(plan, _Terms) else []


def _word(node: Word, schema: Any) -> Plan | None:
    terms: list[tuple[str, str, float]] = []
    for fieldname, boost in _fields_of(node.fields):
        for term in dict.fromkeys(schema[fieldname].process_text(node.text, mode="query")):
            terms.append((fieldname, term, boost))
    return _Terms(tuple(terms)) if terms else None


def _phrase_plan(node: Phrase, schema: Any) -> Plan | None:
    out = []
    for fieldname, boost in _fields_of(node.fields):
        groups: dict[int, list[str]] = {}
        for t in schema[fieldname].tokenize(node.text, mode="query", positions=True):
            groups.setdefault(t.pos, [])
            if t.text not in groups[t.pos]:
                groups[t.pos].append(t.text)
        if groups:
            out.append((fieldname, boost, tuple(tuple(groups[p]) for p in sorted(groups))))
    return _Phrase(tuple(out)) if out else None


def _expand(node: Prefix) -> Plan | None:
    text = node.text.lower().replace("ё", "е")
    literal = text.split("*", 1)[0].split("?", 1)[0]
    pattern = "" if text == literal + "*" and "?" not in text else text
    if not literal and not pattern.strip("*?"):
        return None
    return _Expand(tuple(_fields_of(node.fields)), literal, pattern)


def compile_tree(node: Node, schema: Any) -> Plan:
    """The plan of a tree: words analyzed; ``QueryError`` when no searchable word is left."""
    plan = _compile(node, schema)
    if plan is None:
        raise QueryError(
            "в запросе нет слов для поиска (только стоп-слова?) / the query has no searchable words"
        )
    return plan


def _compile(node: Node, schema: Any) -> Plan | None:
    if isinstance(node, Word):
        return _word(node, schema)
    if isinstance(node, Phrase):
        return _phrase_plan(node, schema)
    if isinstance(node, Prefix):
        return _expand(node)
    if isinstance(node, Filter):
        return _Keyword(node.field, node.value, prefix=node.field == "published")
    if isinstance(node, Range):
        return _Keyword(node.field, node.low, high=node.high)
    if isinstance(node, Every):
        return _All()
    if isinstance(node, Not):
        inner = _compile(node.item, schema)
        return None if inner is None else _Bool("and", (_All(),), (inner,))
    items: list[Plan] = []
    negated: list[Plan] = []
    for item in node.items:
        target = negated if isinstance(item, Not) else items
        compiled = _compile(item.item if isinstance(item, Not) else item, schema)
        if compiled is not None:
            target.append(compiled)
    if isinstance(node, Or):
        if negated:
            items += [_Bool("and", (_All(),), (n,)) for n in negated]
        return None if not items else items[0] if len(items) == 1 else _Bool("or", tuple(items))
    if not items and not negated:
        return None
    if not items:
        items = [_All()]
    if len(items) == 1 and not negated:
        return items[0]
    return _Bool("and", tuple(items), tuple(negated))


class Stats:
    """Whole-index statistics BM25F needs (document frequencies, average field lengths)."""

    def __init__(self, searcher: Any) -> None:
        self._searcher = searcher
        self.docs = max(int(searcher.doc_count_all()), 1)
        self._idf: dict[tuple[str, str], float] = {}
        self._avg: dict[str, float] = {}

    def idf(self, fieldname: str, term: str) -> float:
        key = (fieldname, term)
        if key not in self._idf:
            df = self._searcher.doc_frequency(fieldname, term)
            self._idf[key] = math.log(self.docs / (df + 1)) + 1
        return self._idf[key]

    def avgfl(self, fieldname: str) -> float:
        if fieldname not in self._avg:
            self._avg[fieldname] = self._searcher.avg_field_length(fieldname) or 1.0
        return self._avg[fieldname]


_Result = tuple[Any, Any]  # (mask, score) arrays of one segment


def _bm25(seg: Segment, stats: Stats, fieldname: str, term: str, ids: Any, w: Any) -> Any:
    fl = seg.lengths(fieldname)[ids]
    norm = K1 * ((1 - B) + B * fl / stats.avgfl(fieldname))
    return stats.idf(fieldname, term) * (w * (K1 + 1)) / (w + norm)


def _terms(plan: _Terms, seg: Segment, stats: Stats) -> _Result:
    mask = np.zeros(seg.size, dtype=bool)
    score = np.zeros(seg.size, dtype=np.float32)
    for fieldname, term, boost in plan.terms:
        p = seg.postings(fieldname, term)
        if len(p.ids):
            mask[p.ids] = True
            score[p.ids] += boost * _bm25(seg, stats, fieldname, term, p.ids, p.weights)
    return mask, score


def _keys(seg: Segment, fieldname: str, terms: tuple[str, ...], cand: Any) -> Any:
    """The sorted (docnum << 32 | position) keys of ``terms`` in the candidate documents
    (``cand``: a boolean array over the segment)."""
    parts = []
    for term in terms:
        ids, lens, positions = seg.positions(fieldname, term, cand)
        if len(ids):
            parts.append((np.repeat(ids, lens) << _SHIFT) | positions)
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.concatenate(parts)) if len(parts) > 1 else parts[0]


def _within(keys: Any, sorted_keys: Any) -> Any:
    """A boolean array: which of ``keys`` are in ``sorted_keys``."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[at] == keys


def _phrase_field(
    seg: Segment, stats: Stats, fieldname: str, boost: float, groups: tuple[tuple[str, ...], ...]
) -> _Result | None:
    masks = []
    for group in groups:
        m = np.zeros(seg.size, dtype=bool)
        for term in group:
            m[seg.postings(fieldname, term).ids] = True
        masks.append(m)
    cand = np.logical_and.reduce(masks)
    if not cand.any():
        return None
    chain = _keys(seg, fieldname, groups[0], cand)
    for group in groups[1:]:
        chain = chain + 1
        chain = chain[_within(chain, _keys(seg, fieldname, group, cand))]
        if not len(chain):
            return None
    mask = np.zeros(seg.size, dtype=bool)
    mask[chain >> _SHIFT] = True
    score = np.zeros(seg.size, dtype=np.float32)
    for group in groups:
        for term in group:
            p = seg.postings(fieldname, term)
            score[p.ids] += boost * _bm25(seg, stats, fieldname, term, p.ids, p.weights)
    return mask, np.where(mask, score, 0).astype(np.float32)


def _phrase(plan: _Phrase, seg: Segment, stats: Stats) -> _Result:
    mask = np.zeros(seg.size, dtype=bool)
    score = np.zeros(seg.size, dtype=np.float32)
    for fieldname, boost, groups in plan.fields:
        found = _phrase_field(seg, stats, fieldname, boost, groups)
        if found is not None:
            mask |= found[0]
            score += found[1]
    return mask, score


def _expansion(seg: Segment, fieldname: str, plan: _Expand) -> list[str]:
    terms = seg.terms(fieldname)
    lo = bisect.bisect_left(terms, plan.prefix)
    hi = bisect.bisect_left(terms, plan.prefix + "\U0010ffff") if plan.prefix else len(terms)
    picked = terms[lo:hi]
    if plan.pattern:
        picked = [t for t in picked if fnmatch.fnmatchcase(t, plan.pattern)]
    return picked[:MAX_EXPANSION]


def _expand_terms(plan: _Expand, seg: Segment) -> _Result:
    mask = np.zeros(seg.size, dtype=bool)
    score = np.zeros(seg.size, dtype=np.float32)
    for fieldname, boost in plan.fields:
        hit = np.zeros(seg.size, dtype=bool)
        for term in _expansion(seg, fieldname, plan):
            hit[seg.postings(fieldname, term).ids] = True
        mask |= hit
        score += hit * np.float32(boost)  # constant score, as Whoosh's Prefix
    return mask, score


def _keyword(plan: _Keyword, seg: Segment) -> _Result:
    mask = np.zeros(seg.size, dtype=bool)
    if plan.prefix or plan.high is not None:
        terms = seg.terms(plan.field)
        lo = bisect.bisect_left(terms, plan.value)
        top = plan.value if plan.high is None else plan.high
        hi = bisect.bisect_left(terms, top + "\U0010ffff") if top else len(terms)
        for term in terms[lo:hi]:
            mask[seg.postings(plan.field, term).ids] = True
    else:
        mask[seg.postings(plan.field, plan.value).ids] = True
    return mask, np.zeros(seg.size, dtype=np.float32)


def _bool(plan: _Bool, seg: Segment, stats: Stats) -> _Result:
    results = [evaluate(p, seg, stats) for p in plan.items]
    if plan.op == "or":
        mask = np.logical_or.reduce([m for m, _ in results])
    else:
        mask = np.logical_and.reduce([m for m, _ in results])
    score = np.sum([s for _, s in results], axis=0, dtype=np.float32)
    for p in plan.negated:
        mask &= ~evaluate(p, seg, stats)[0]
    return mask, score


_EVALUATORS: dict[type, Callable[..., _Result]] = {
    _Terms: _terms,
    _Phrase: _phrase,
    _Bool: _bool,
}


def evaluate(plan: Plan, seg: Segment, stats: Stats) -> _Result:
    """(match mask, BM25F score) of ``plan`` over one segment (deleted documents included: the
    caller ANDs the segment's live mask)."""
    if isinstance(plan, _Expand):
        return _expand_terms(plan, seg)
    if isinstance(plan, _Keyword):
        return _keyword(plan, seg)
    if isinstance(plan, _All):
        return np.ones(seg.size, dtype=bool), np.zeros(seg.size, dtype=np.float32)
    return _EVALUATORS[type(plan)](plan, seg, stats)
