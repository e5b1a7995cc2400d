"""The search API the CLI and the UI share: ``SearchIndex.open(data_dir).search(SearchRequest(...))``.

Usage::

    index = SearchIndex.open(data_dir)
    res = index.search(SearchRequest("соглашение курская область", sort="date"))
    res.total, res.hits[0].title, res.facets["site"][:1]
    # -> (3, 'Курская делегация ...', [('mpt', 2)])

A query is parsed into vestnik's query tree (``indexer._qtree``) and evaluated by the Whoosh
backend (``indexer._engine``) over each segment at once: one pass over the query terms' postings
gives every match with its score, and the total, the facets and the page of hits are numpy
operations over that (exact counts, no second pass). Per-segment arrays (facet codes, field
lengths) are built once per opened searcher.

One ``SearchIndex`` is safe to share between threads (searches run one at a time under a lock) and
notices an index run's commit (``refresh()``, also done before each search): the new searcher is
opened, the old one keeps serving the searches already running. A damaged index (truncated or
corrupt files) is one ``SearchIndexError`` naming the folder and the cure.
"""

from __future__ import annotations

import pickle
import re
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from whoosh import index as whoosh_index
from whoosh.index import EmptyIndexError
from whoosh.index import IndexError as WhooshIndexError

from core.errors import SearchIndexError
from indexer._columns import Segment
from indexer._engine import Stats, compile_tree, evaluate, word_terms
from indexer._paths import index_dir
from indexer._qtree import And, Filter, Node, Range, Word, leaves, parse
from indexer._schema import FACET_FIELDS
from indexer._snippets import Marker, highlight_html, snippet_html

__all__ = ["Hit", "SearchIndex", "SearchRequest", "SearchResults"]

# What a damaged index raises from Whoosh's readers (truncated files, bad pickles, bad blocks).
_DAMAGE = (
    EOFError, ValueError, KeyError, IndexError, TypeError, AttributeError, struct.error,
    zlib.error, pickle.UnpicklingError, EmptyIndexError, WhooshIndexError, OSError,
)  # fmt: skip
_READ_ATTEMPTS = 3  # a read that fails during a concurrent commit is tried on a fresh searcher
_T = TypeVar("_T")
_SUGGEST_WORDS = 8  # "did you mean" looks at most at this many missing words
_SNIPPET_SOURCE_CHARS = 30_000  # snippets look at the start of very long bodies only


@dataclass(frozen=True)
class SearchRequest:
    """One search: the query, a page of results, the sort order and filters (empty: no filter)."""

    query: str = ""
    page: int = 1
    per_page: int = 10
    sort: str = "relevance"  # or "date"
    since: str = ""
    until: str = ""
    site: str = ""
    lang: str = ""
    region: str = ""
    kind: str = ""  # "page" | "attachment" (``core.enums.DocKind``)
    snippets: bool = True  # False: no snippet work (benchmarks)


@dataclass(frozen=True)
class Hit:
    """One result; ``snippet`` and ``title_html`` are HTML (escaped text, ``<mark>`` on matches)."""

    doc_id: int
    url: str
    title: str
    title_html: str
    published: str
    site: str
    lang: str
    score: float
    snippet: str
    regions: tuple[str, ...] = ()
    kind: str = "page"  # "attachment": a file; then its type and the article it hangs under
    file_type: str = ""
    parent_url: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The hit as every front end shows it (``vestnik search --json`` and the HTTP API):
        ``title_html`` is the UI's only; ``regions`` a list.

        >>> hit = Hit(1, "u", "T", "T", "2024-01-02", "s", "ru", 1.5, "x", ("Курская область",))
        >>> hit.as_dict()["regions"], hit.as_dict()["kind"]
        (['Курская область'], 'page')
        """
        return {
            "url": self.url, "title": self.title, "published": self.published, "site": self.site,
            "lang": self.lang, "score": self.score, "snippet": self.snippet, "kind": self.kind,
            "file_type": self.file_type, "parent_url": self.parent_url, "doc_id": self.doc_id,
            "regions": list(self.regions),
        }  # fmt: skip


@dataclass(frozen=True)
class SearchResults:
    """A page of hits, the total, facet counts over all matches, a "did you mean" suggestion."""

    hits: tuple[Hit, ...]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str = ""
    elapsed_ms: float = 0.0


class _Opened:
    """A searcher with its segments' arrays and the facet labels of the whole index."""

    def __init__(self, ix: Any, signature: tuple[int, int]) -> None:
        self.ix = ix
        self.signature = signature
        self.searcher = ix.searcher()
        leaves_ = self.searcher.reader().leaf_readers()
        self.segments = [Segment(reader, base) for reader, base in leaves_]
        self._labels: dict[str, list[str]] = {}

    def labels(self, fieldname: str) -> list[str]:
        """The sorted values of a keyword field over every segment."""
        if fieldname not in self._labels:
            values: set[str] = set()
            for seg in self.segments:
                values.update(seg.terms(fieldname))
            self._labels[fieldname] = sorted(values)
        return self._labels[fieldname]

    def close(self) -> None:
        self.searcher.close()


@dataclass
class _Matches:
    """Per segment: the match mask (live documents only) and the scores."""

    parts: list[tuple[Segment, Any, Any]]

    @property
    def total(self) -> int:
        return int(sum(np.count_nonzero(m) for _, m, _ in self.parts))


def _signature(path: Path) -> tuple[int, int]:
    try:
        inode = path.stat().st_ino
        gen = _generation(path)
    except OSError:
        return (0, -1)
    return (inode, gen)


def _generation(path: Path) -> int:
    gens = [int(p.stem.rsplit("_", 1)[1]) for p in path.glob("_MAIN_*.toc")]
    return max(gens) if gens else -1


@contextmanager
def _damage_guard(path: Path) -> Iterator[None]:
    """Whoosh's errors from damaged index files, as one line naming the folder and the cure."""
    try:
        yield
    except SearchIndexError:
        raise
    except Exception as exc:  # noqa: BLE001 -- Whoosh raises bare Exception for damaged blocks
        if not isinstance(exc, _DAMAGE) and type(exc) is not Exception:
            raise  # a programming error, not a damaged file
        raise SearchIndexError(
            f"the search index in {path} is damaged or unreadable ({type(exc).__name__}: "
            f"{str(exc)[:120]}); rebuild it with `vestnik index --rebuild`"
        ) from exc


class SearchIndex:
    """One open index: search, facets, highlighting, "did you mean"."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = index_dir(self.data_dir)
        self._lock = threading.RLock()
        self._current = self._open()

    @classmethod
    def open(cls, data_dir: Path) -> SearchIndex:
        """Open the index of ``data_dir``; ``SearchIndexError`` when there is none yet."""
        return cls(Path(data_dir))

    def _open(self) -> _Opened:
        last: Exception | None = None
        for attempt in range(8):  # a commit or a rebuild swap may delete files under our feet
            try:
                exists = whoosh_index.exists_in(str(self.path))
            except _DAMAGE as exc:  # it reads the table of contents
                exists, last = True, exc
                if attempt >= 2:
                    break
                continue
            if not exists:
                if attempt < 3 and any(self.data_dir.glob("index.old-*")):
                    time.sleep(0.05)
                    continue
                raise SearchIndexError(f"no index yet in {self.data_dir}: run `vestnik index`")
            try:
                signature = _signature(self.path)
                return _Opened(whoosh_index.open_dir(str(self.path)), signature)
            except FileNotFoundError as exc:  # files replaced by a commit: try again
                last = exc
                time.sleep(0.05 * (attempt + 1))
            except _DAMAGE as exc:
                last = exc
                if attempt >= 2:
                    break
                time.sleep(0.05 * (attempt + 1))
        with _damage_guard(self.path):
            raise last or SearchIndexError(f"cannot open the index in {self.path}")
        raise AssertionError("unreachable")  # pragma: no cover

    def refresh(self) -> bool:
        """Reopen the searcher if an index run committed since; True if it changed."""
        with self._lock:
            if _signature(self.path) == self._current.signature:
                return False
            self._reopen()
            return True

    def _reopen(self) -> None:
        old, self._current = self._current, self._open()
        old.close()

    def close(self) -> None:
        """Close the searcher."""
        with self._lock:
            self._current.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- searching ------------------------------------------------------------------------------

    def _match(self, opened: _Opened, tree: Node) -> _Matches:
        plan = compile_tree(tree, opened.searcher.schema)
        stats = Stats(opened.searcher)
        parts = []
        for seg in opened.segments:
            mask, score = evaluate(plan, seg, stats)
            parts.append((seg, mask & seg.live(), score))
        return _Matches(parts)

    def _read(self, work: Callable[[_Opened], _T]) -> _T:
        """``work`` on the current searcher, inside the damage boundary. An index run may commit
        (replace and delete segment files) while a searcher reads lazily from them: a read that
        fails is tried again on a freshly opened searcher before it counts as damage."""
        for attempt in range(_READ_ATTEMPTS):
            with self._lock:
                try:
                    with _damage_guard(self.path):
                        self.refresh()
                        return work(self._current)
                except SearchIndexError:
                    if attempt == _READ_ATTEMPTS - 1:
                        raise
                    time.sleep(0.05 * (attempt + 1))
                    self._reopen()
        raise AssertionError("unreachable")  # pragma: no cover

    def search(self, req: SearchRequest) -> SearchResults:
        """Run one search request (``QueryError`` for a malformed query)."""
        started = time.perf_counter()
        tree = parse(req.query)

        def once(opened: _Opened) -> SearchResults:
            whole = _with_filters(tree, req.since, req.until, req.site, req.lang, req.region,
                                  req.kind)  # fmt: skip
            matches = self._match(opened, whole)
            per_page = max(1, req.per_page)
            page = max(1, req.page)
            by_date = req.sort == "date" or not req.query.strip()
            top = _top(opened, matches, page * per_page, by_date)
            marker = Marker.from_tree(tree) if req.snippets else Marker()
            hits = tuple(
                self._hit(opened.searcher.stored_fields(n), 0.0 if by_date else sc, marker,
                          req.snippets)
                for n, sc in top[(page - 1) * per_page : page * per_page]
            )  # fmt: skip
            facets = _facets(opened, matches)
            total = matches.total
            suggestion = self._suggest(opened, tree, req.query) if not total else ""
            return SearchResults(
                hits=hits,
                total=total,
                page=page,
                per_page=per_page,
                facets=facets,
                suggestion=suggestion,
                elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
            )

        return self._read(once)

    def doc_ids(
        self,
        query_text: str,
        *,
        since: str = "",
        until: str = "",
        site: str = "",
        lang: str = "",
        region: str = "",
    ) -> list[int]:
        """The store ids of every document matching the query and filters (sorted)."""
        tree = parse(query_text)

        def once(opened: _Opened) -> list[int]:
            matches = self._match(opened, _with_filters(tree, since, until, site, lang, region))
            stored = opened.searcher.stored_fields
            return sorted(
                int(stored(seg.base + int(n))["doc_id"])
                for seg, mask, _ in matches.parts
                for n in np.nonzero(mask)[0]
            )

        return self._read(once)

    def highlight(self, text: str, query_text: str, lang: str = "ru") -> str:
        """The whole text HTML-escaped, the query's word forms in ``<mark>``; paragraphs kept."""
        tree = parse(query_text) if query_text.strip() else None
        return highlight_html(text, Marker.from_tree(tree), lang)

    # -- parts ----------------------------------------------------------------------------------

    def _hit(self, stored: dict[str, Any], score: float | None, marker: Marker, snip: bool) -> Hit:
        lang = str(stored.get("lang", "ru"))
        title = str(stored.get("title", ""))
        body = str(stored.get("body", ""))
        names = str(stored.get("region_names", "") or "")
        return Hit(
            doc_id=int(stored["doc_id"]),
            url=str(stored["url"]),
            title=title,
            title_html=highlight_html(title, marker, lang) if snip else "",
            published=str(stored.get("published", "")),
            site=str(stored.get("site", "")),
            lang=lang,
            score=round(float(score or 0.0), 4),
            snippet=snippet_html(body[:_SNIPPET_SOURCE_CHARS], marker, lang) if snip else "",
            regions=tuple(r for r in names.split(",") if r),
            kind=str(stored.get("kind", "") or "page"),
            file_type=str(stored.get("file_type", "") or ""),
            parent_url=str(stored.get("parent_url", "") or ""),
        )

    def _suggest(self, opened: _Opened, tree: Node, text: str) -> str:
        """The query with each word absent from the index replaced by its nearest indexed term
        (at most ``_SUGGEST_WORDS`` words, each tried in the Russian title and body lexicons)."""
        searcher = opened.searcher
        changed = text
        tried = 0
        for leaf, positive in leaves(tree):
            if not positive or not isinstance(leaf, Word) or tried >= _SUGGEST_WORDS:
                continue
            word = leaf.text
            if len(word) < 3 or len(word) > 40 or not any(c.isalpha() for c in word):
                continue
            terms = word_terms(leaf, searcher.schema)
            if not terms or any(searcher.doc_frequency(f, t) for f, t, _ in terms):
                continue
            tried += 1
            fix = ""
            for fieldname in ("body", "title"):
                term = next(iter(searcher.schema[fieldname].process_text(word, mode="query")), "")
                found = searcher.suggest(fieldname, term, limit=1, maxdist=2) if term else []
                if found:
                    fix = found[0]
                    break
            if fix:
                changed = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", fix, changed, count=1)
        return changed if changed != text else ""


def _with_filters(
    tree: Node, since: str, until: str, site: str, lang: str, region: str, kind: str = ""
) -> Node:
    """The tree ANDed with the request's filters (date range as a ``published`` range)."""
    parts: list[Node] = [Filter("kind", kind)] if kind else []
    if site:
        parts.append(Filter("site", site))
    if lang:
        parts.append(Filter("lang", lang))
    if region:
        parts.append(Filter("regions", " ".join(region.lower().replace("ё", "е").split())))
    if since or until:
        parts.append(Range("published", since, until))
    return And((tree, *parts)) if parts else tree


def _top(opened: _Opened, matches: _Matches, k: int, by_date: bool) -> list[tuple[int, float]]:
    """The first ``k`` (docnum, score): best score first, or newest first with ``by_date``."""
    rows: list[tuple[Any, Any, Any]] = []  # (key, docnums, scores) per segment
    labels = opened.labels("published") if by_date else []
    for seg, mask, score in matches.parts:
        local = np.nonzero(mask)[0]
        if not len(local):
            continue
        key = seg.codes("published", labels)[local].astype(np.float64) if by_date else score[local]
        if len(local) > k:
            pick = np.argpartition(-key, k - 1)[:k]
            local, key = local[pick], key[pick]
        rows.append((key, local + seg.base, score[local]))
    if not rows:
        return []
    key = np.concatenate([r[0] for r in rows])
    docs = np.concatenate([r[1] for r in rows])
    scores = np.concatenate([r[2] for r in rows])
    order = np.lexsort((-docs, -key)) if by_date else np.lexsort((docs, -key))
    order = order[:k]
    return [(int(d), float(s)) for d, s in zip(docs[order], scores[order], strict=True)]


def _facets(opened: _Opened, matches: _Matches) -> dict[str, list[tuple[str, int]]]:
    """Counts of each facet's values over every match."""
    facets: dict[str, list[tuple[str, int]]] = {}
    for name, fieldname in FACET_FIELDS.items():
        counts: dict[str, int] = {}
        if fieldname == "region_names":
            for seg, mask, _ in matches.parts:
                for term in seg.terms(fieldname):
                    n = int(np.count_nonzero(mask[seg.postings(fieldname, term).ids]))
                    if n:
                        counts[term] = counts.get(term, 0) + n
        else:
            labels = opened.labels(fieldname)
            names = sorted({label[:4] for label in labels}) if name == "year" else labels
            where = {label: i for i, label in enumerate(names)}
            none = len(names)  # documents without a value (code -1) are counted here, then dropped
            to_name = np.array([where[lb[:4] if name == "year" else lb] for lb in labels] + [none])
            total = np.zeros(len(names) + 1, dtype=np.int64)
            for seg, mask, _ in matches.parts:
                codes = to_name[seg.codes(fieldname, labels)[mask]]
                total += np.bincount(codes, minlength=len(names) + 1)[: len(names) + 1]
            counts = {names[i]: int(c) for i, c in enumerate(total[:-1]) if c}
        facets[name] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return facets
