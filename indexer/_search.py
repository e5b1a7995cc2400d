"""The search API the CLI and the UI share: ``SearchIndex.open(data_dir).search(SearchRequest(...))``.

>>> index = SearchIndex.open(data_dir)                                   # doctest: +SKIP
>>> res = index.search(SearchRequest("соглашение курская область", sort="date"))
>>> res.total, res.hits[0].title, res.facets["site"][:1]
(3, 'Курская делегация ...', [('mpt', 2)])

One ``SearchIndex`` is safe to share between threads (searches run one at a time under a lock) and
notices an index run's commit (``refresh()``, also done before each search): the new searcher is
opened, the old one keeps serving the searches already running.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query
from whoosh.index import EmptyIndexError

from core.errors import SearchIndexError
from indexer._index import index_dir
from indexer._query import filter_query, make_parser, parse_query, text_leaves
from indexer._schema import FACET_FIELDS
from indexer._snippets import Marker, highlight_html, snippet_html

__all__ = ["Hit", "SearchIndex", "SearchRequest", "SearchResults"]

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
    """A searcher with its per-searcher caches (facet values by document number)."""

    def __init__(self, ix: Any, signature: tuple[int, int]) -> None:
        self.ix = ix
        self.signature = signature
        self.searcher = ix.searcher()
        self.parser = make_parser(ix.schema)
        self._facets: dict[str, list[tuple[str, ...]]] = {}

    def facet_values(self, fieldname: str) -> list[tuple[str, ...]]:
        values = self._facets.get(fieldname)
        if values is None:
            reader = self.searcher.reader()
            lists: list[list[str]] = [[] for _ in range(reader.doc_count_all())]
            field = self.searcher.schema[fieldname]
            for btext in reader.lexicon(fieldname):
                text = field.from_bytes(btext)
                if fieldname == "published":
                    text = text[:4]
                for docnum in reader.postings(fieldname, btext).all_ids():
                    lists[docnum].append(text)
            values = [tuple(v) for v in lists]
            self._facets[fieldname] = values
        return values

    def close(self) -> None:
        self.searcher.close()


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
            if not whoosh_index.exists_in(str(self.path)):
                if attempt < 3 and any(self.data_dir.glob("index.old-*")):
                    time.sleep(0.05)
                    continue
                raise SearchIndexError(f"no index yet in {self.data_dir}: run `vestnik index`")
            try:
                signature = _signature(self.path)
                return _Opened(whoosh_index.open_dir(str(self.path)), signature)
            except (OSError, EmptyIndexError) as exc:
                last = exc
                time.sleep(0.05 * (attempt + 1))
        raise SearchIndexError(f"cannot open the index in {self.path}: {last}") from last

    def refresh(self) -> bool:
        """Reopen the searcher if an index run committed since; True if it changed."""
        with self._lock:
            if _signature(self.path) == self._current.signature:
                return False
            old, self._current = self._current, self._open()
            old.close()
            return True

    def close(self) -> None:
        """Close the searcher."""
        with self._lock:
            self._current.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- searching ------------------------------------------------------------------------------

    def search(self, req: SearchRequest) -> SearchResults:
        """Run one search request (``QueryError`` for a malformed query)."""
        started = time.perf_counter()
        with self._lock:
            self.refresh()
            opened = self._current
            q = parse_query(opened.parser, req.query)
            flt = filter_query(
                since=req.since, until=req.until, site=req.site, lang=req.lang, region=req.region
            )
            searcher = opened.searcher
            whole = q if flt is None else query.And([q, flt])
            matched = list(searcher.docs_for_query(whole))
            per_page = max(1, req.per_page)
            page = max(1, req.page)
            by_date = req.sort == "date" or isinstance(q, query.Every)
            results = searcher.search(
                q,
                filter=flt,
                limit=page * per_page,
                sortedby="published" if by_date else None,
                reverse=by_date,
            )
            marker = Marker.from_query(q)
            hits = tuple(
                self._hit(
                    searcher.stored_fields(r.docnum),
                    0.0 if by_date else r.score,
                    marker,
                    req.snippets,
                )
                for r in results[(page - 1) * per_page : page * per_page]
            )
            facets = self._facets(opened, matched)
            suggestion = self._suggest(opened, q, req.query)
        return SearchResults(
            hits=hits,
            total=len(matched),
            page=page,
            per_page=per_page,
            facets=facets,
            suggestion=suggestion,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
        )

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
        with self._lock:
            self.refresh()
            opened = self._current
            q = parse_query(opened.parser, query_text)
            flt = filter_query(since=since, until=until, site=site, lang=lang, region=region)
            whole = q if flt is None else query.And([q, flt])
            searcher = opened.searcher
            return sorted(
                int(searcher.stored_fields(n)["doc_id"]) for n in searcher.docs_for_query(whole)
            )

    def highlight(self, text: str, query_text: str, lang: str = "ru") -> str:
        """The whole text HTML-escaped, the query's word forms in ``<mark>``; paragraphs kept."""
        with self._lock:
            q = parse_query(self._current.parser, query_text) if query_text.strip() else None
        return highlight_html(text, Marker.from_query(q) if q is not None else Marker(), lang)

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
        )

    def _facets(self, opened: _Opened, matched: list[int]) -> dict[str, list[tuple[str, int]]]:
        facets: dict[str, list[tuple[str, int]]] = {}
        for name, fieldname in FACET_FIELDS.items():
            values = opened.facet_values(fieldname)
            counts: Counter[str] = Counter()
            for docnum in matched:
                counts.update(values[docnum])
            facets[name] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return facets

    def _suggest(self, opened: _Opened, q: Any, text: str) -> str:
        """The query with each word absent from the index replaced by its nearest indexed term."""
        reader = opened.searcher.reader()
        words: dict[tuple[int, int], list[Any]] = {}
        for leaf, start, end in text_leaves(q):
            if start is None or end is None or isinstance(leaf, query.PatternQuery):
                continue
            words.setdefault((start, end), []).append(leaf)
        changed = text
        for (start, end), leaves in sorted(words.items(), reverse=True):
            if any(reader.doc_frequency(leaf.fieldname, leaf.text) for leaf in leaves):
                continue
            original = text[start:end]
            if len(original) < 3 or '"' in original or not any(c.isalpha() for c in original):
                continue
            fix = ""
            for leaf in leaves:
                if leaf.fieldname in ("body", "title", "body_be", "body_en"):
                    found = opened.searcher.suggest(leaf.fieldname, leaf.text, limit=1, maxdist=2)
                    if found:
                        fix = found[0]
                        break
            if fix:
                changed = changed[:start] + fix + changed[end:]
        return changed if changed != text else ""
