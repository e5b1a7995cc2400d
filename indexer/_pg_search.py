"""The PostgreSQL search backend: the search API of ``SearchIndex``, answered by SQL.

Usage::

    with PgSearch.open("postgresql://vestnik@db.local/vestnik") as index:
        res = index.search(SearchRequest("соглашение курская область"))

One statement per search: the matching rows (``indexer._pg_query``: a ``tsquery`` over the GIN
index plus SQL filters) are materialized once, and the page of hits, every facet's counts and so the
total are read from them (exact, like the Whoosh backend's). Ranking is ``ts_rank_cd`` (cover
density: how many query words occur, how close together) with titles weighted 1.0 and bodies 0.5
(Whoosh's title boost of 2), divided by ``1 + log(length)`` of the document; sorting by date is
``published`` newest first. Hits' titles and bodies come from the store (``documents_by_id``), and
snippets and highlights from vestnik's own highlighter (``indexer._snippets``), as on Whoosh.
"Did you mean" reads the lexicon table with Whoosh's rule: among the indexed Russian body (then
title) terms within two edits, the most frequent.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

from core.errors import SearchIndexError
from corpus import IndexStore, open_store
from indexer._engine import word_terms
from indexer._pg_db import SCHEMA, TSV, PgSearchDb, is_postgres_url, needs_postgres
from indexer._pg_query import compile_sql
from indexer._pg_rows import lexeme_of, schema, weight_of
from indexer._qtree import Node, Word, leaves, parse
from indexer._search import (
    _SNIPPET_SOURCE_CHARS,
    _SUGGEST_WORDS,
    Hit,
    SearchRequest,
    SearchResults,
    _with_filters,
)
from indexer._snippets import Marker, highlight_html, snippet_html

__all__ = ["RANK_NORMALIZATION", "RANK_WEIGHTS", "PgSearch"]

RANK_WEIGHTS = "{0.5,0,0,1}"  # ts_rank_cd weights of D (bodies), C, B, A (titles)
RANK_NORMALIZATION = 1  # divide by 1 + log(document length)
RANK = f"ts_rank_cd('{RANK_WEIGHTS}', {TSV}, CAST(%s AS tsquery), {RANK_NORMALIZATION})"
STATEMENT_TIMEOUT_MS = 60_000  # a search running longer is cancelled (one line)
_DOCS, _META, _TERMS = f"{SCHEMA}.docs", f"{SCHEMA}.meta", f"{SCHEMA}.terms"


def levenshtein(a: str, b: str, limit: int) -> int:
    """The edit distance of ``a`` and ``b`` (insertions, deletions, substitutions), or
    ``limit + 1`` once it exceeds ``limit``.

    >>> levenshtein("саглашение", "соглашение", 2), levenshtein("abc", "xyz", 2)
    (1, 3)
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        best = row[0]
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
            best = min(best, row[j])
        if best > limit:
            return limit + 1
    return min(row[-1], limit + 1)


class PgSearch:
    """The search index of the ``postgres`` backend, in the PostgreSQL store's database.

    Safe to share between threads (one connection behind a lock). There is nothing to reopen
    after an index run: every search sees the last committed batch.
    """

    def __init__(self, url: str) -> None:
        if not is_postgres_url(url):
            raise SearchIndexError(needs_postgres(url))
        self.url = url
        self._lock = threading.RLock()
        # the timeout is a session setting: PgSearchDb sets it again on a reconnect
        self._db = PgSearchDb(url, setup=[f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}"])
        self._store: IndexStore | None = None
        try:
            if not self._db.has_index():
                raise SearchIndexError(
                    f"no search index yet in {self._db.where}: run `vestnik index` "
                    "(search.backend = postgres)"
                )
            self._seq = self._mark()
        except BaseException:
            self._db.close()
            raise

    @classmethod
    def open(cls, url: str) -> PgSearch:
        """Open the search index in the database of the store ``url``; ``SearchIndexError`` when
        there is none yet (or the store is not PostgreSQL)."""
        return cls(url)

    def _mark(self) -> str:
        rows = self._db.execute(f"SELECT value FROM {SCHEMA}.state WHERE key = 'seq'")
        return str(rows[0][0]) if rows else ""

    def _documents(self, ids: list[int]) -> dict[int, Any]:
        if self._store is None:
            self._store = open_store(self.url)
        return {d.id: d for d in self._store.documents_by_id(ids)}

    def refresh(self) -> bool:
        """True when an index run committed since the last call (nothing needs reopening)."""
        with self._lock:
            mark = self._mark()
            changed, self._seq = mark != self._seq, mark
            return changed

    def close(self) -> None:
        """Close the connections."""
        with self._lock:
            self._db.close()
            if self._store is not None:
                self._store.close()  # type: ignore[attr-defined]
                self._store = None

    def __enter__(self) -> PgSearch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- searching ------------------------------------------------------------------------------

    def _lexicon(self, tag: str, like: str, weight: str) -> list[str]:
        """Lexemes ``tag`` + something matching ``like``, in titles (A) or bodies (D), sorted."""
        column = "title_docs" if weight == "A" else "body_docs"
        cap = 100_000 if like.endswith("%") and "%" not in like[:-1] else 4096
        other = "" if tag else " AND left(lexeme, 1) NOT IN ('~', '^')"
        rows = self._db.execute(
            f"SELECT lexeme FROM {_TERMS} WHERE lexeme LIKE %s AND {column} > 0{other} "
            "ORDER BY lexeme LIMIT %s",
            (tag + like, cap),
        )
        return [str(r[0]) for r in rows]

    def search(self, req: SearchRequest) -> SearchResults:
        """Run one search request (``QueryError`` for a malformed query)."""
        started = time.perf_counter()
        tree = parse(req.query)
        whole = _with_filters(tree, req.since, req.until, req.site, req.lang, req.region, req.kind)
        per_page, page = max(1, req.per_page), max(1, req.page)
        by_date = req.sort == "date" or not req.query.strip()
        with self._lock:
            compiled = compile_sql(whole, self._lexicon)
            params: list[object] = []
            if by_date or not compiled.rank:
                score = "0"
            else:
                score = RANK
                params.append(compiled.rank)
            order = "published DESC, doc_id DESC" if by_date else "score DESC, doc_id"
            sql = f"""
                WITH m AS MATERIALIZED (
                    SELECT doc_id, url, site, lang, published, kind, file_type, parent_url, region_names,
                           {score} AS score
                    FROM {_DOCS if compiled.words else _META} WHERE {compiled.where}
                ), top AS (
                    SELECT *, row_number() OVER (ORDER BY {order}) AS ord
                    FROM m ORDER BY {order} LIMIT %s
                )
                SELECT 'hit', doc_id::text, score,
                       jsonb_build_array(ord, url, published, site, lang, region_names, kind, file_type,
                                         parent_url)
                FROM top WHERE ord > %s
                UNION ALL SELECT 'site', site, count(*), NULL FROM m GROUP BY site
                UNION ALL SELECT 'year', left(published, 4), count(*), NULL FROM m
                    WHERE published <> '' GROUP BY 2
                UNION ALL SELECT 'lang', lang, count(*), NULL FROM m GROUP BY lang
                UNION ALL SELECT 'region', r, count(*), NULL FROM m, unnest(m.region_names) r
                    GROUP BY r
                UNION ALL SELECT 'kind', kind, count(*), NULL FROM m GROUP BY kind
            """
            params += [*compiled.params, page * per_page, (page - 1) * per_page]
            rows = self._db.execute(sql, params, "cannot search")
            hits_rows = sorted((r for r in rows if r[0] == "hit"), key=lambda r: r[3][0])
            facets: dict[str, dict[str, int]] = {
                k: {} for k in ("site", "year", "lang", "region", "kind")
            }
            for kind, label, n, _ in rows:
                if kind != "hit":
                    facets[kind][str(label)] = int(n)
            total = sum(facets["site"].values())
            marker = Marker.from_tree(tree) if req.snippets else Marker()
            docs = self._documents([int(r[1]) for r in hits_rows]) if hits_rows else {}
            hits = tuple(
                self._hit(r, docs.get(int(r[1])), 0.0 if by_date else float(r[2]), marker,
                          req.snippets)
                for r in hits_rows
            )  # fmt: skip
            suggestion = self._suggest(tree, req.query) if not total else ""
        return SearchResults(
            hits=hits,
            total=total,
            page=page,
            per_page=per_page,
            facets={
                k: sorted(v.items(), key=lambda kv: (-kv[1], kv[0])) for k, v in facets.items()
            },
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
        tree = _with_filters(parse(query_text), since, until, site, lang, region)
        with self._lock:
            compiled = compile_sql(tree, self._lexicon)
            rows = self._db.execute(
                f"SELECT doc_id FROM {_DOCS if compiled.words else _META} WHERE {compiled.where} "
                "ORDER BY doc_id",
                compiled.params,
                "cannot search",
            )
        return [int(r[0]) for r in rows]

    def highlight(self, text: str, query_text: str, lang: str = "ru") -> str:
        """The whole text HTML-escaped, the query's word forms in ``<mark>``; paragraphs kept."""
        tree = parse(query_text) if query_text.strip() else None
        return highlight_html(text, Marker.from_tree(tree), lang)

    # -- parts ----------------------------------------------------------------------------------

    def _hit(self, row: Any, doc: Any, score: float, marker: Marker, snip: bool) -> Hit:
        _, url, published, site, lang, regions, kind, file_type, parent_url = row[3]
        title = doc.title if doc is not None else ""
        body = doc.body if doc is not None else ""
        return Hit(
            doc_id=int(row[1]),
            url=str(url),
            title=title,
            title_html=highlight_html(title, marker, lang) if snip else "",
            published=str(published),
            site=str(site),
            lang=str(lang),
            score=round(score, 4),
            snippet=snippet_html(body[:_SNIPPET_SOURCE_CHARS], marker, lang) if snip else "",
            regions=tuple(str(r) for r in regions),
            kind=str(kind or "page"),
            file_type=str(file_type or ""),
            parent_url=str(parent_url or ""),
        )

    def _counts(self, lexemes: list[str]) -> dict[str, tuple[int, int]]:
        rows = self._db.execute(
            f"SELECT lexeme, title_docs, body_docs FROM {_TERMS} WHERE lexeme = ANY(%s)",
            (lexemes,),
        )
        return {str(r[0]): (int(r[1]), int(r[2])) for r in rows}

    def _absent(self, word: Word) -> bool:
        """True when none of the word's terms is in any document (Whoosh's doc_frequency == 0)."""
        terms = word_terms(word, schema())
        if not terms:
            return False
        pairs = [(lexeme_of(f, t), weight_of(f)) for f, t, _ in terms]
        counts = self._counts(sorted({lx for lx, _ in pairs}))
        return not any(counts.get(lx, (0, 0))[w == "D"] for lx, w in pairs)

    def _nearest(self, fieldname: str, term: str) -> str:
        """The most frequent Russian term of the field within two edits of ``term`` (ties: the
        greatest), as Whoosh's ``searcher.suggest(field, term, limit=1, maxdist=2)``."""
        n = len(term)
        third = max(n // 3, 1)
        parts = [term[:third], term[third : 2 * third], term[2 * third :]]
        likes = ["%" + p.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                 for p in parts if p]  # fmt: skip
        freq = "title_freq" if fieldname == "title" else "body_freq"
        rows = self._db.execute(
            f"SELECT lexeme, {freq} FROM {_TERMS} WHERE {freq} > 0 "
            "AND length(lexeme) BETWEEN %s AND %s AND left(lexeme, 1) NOT IN ('~', '^') "
            "AND lexeme LIKE ANY(%s)",
            (n - 2, n + 2, likes),
        )
        best: tuple[int, str] | None = None
        for lexeme, f in rows:
            if lexeme != term and levenshtein(term, str(lexeme), 2) <= 2:
                best = max(best or (0, ""), (int(f), str(lexeme)))
        return best[1] if best else ""

    def _suggest(self, tree: Node, text: str) -> str:
        """The query with each word absent from the index replaced by its nearest indexed term
        (at most ``_SUGGEST_WORDS`` words; the Whoosh backend's rule)."""
        changed = text
        tried = 0
        for leaf, positive in leaves(tree):
            if not positive or not isinstance(leaf, Word) or tried >= _SUGGEST_WORDS:
                continue
            word = leaf.text
            if len(word) < 3 or len(word) > 40 or not any(c.isalpha() for c in word):
                continue
            if not self._absent(leaf):
                continue
            tried += 1
            fix = ""
            for fieldname in ("body", "title"):
                term = next(iter(schema()[fieldname].process_text(word, mode="query")), "")
                fix = self._nearest(fieldname, term) if term else ""
                if fix:
                    break
            if fix:
                changed = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", fix, changed, count=1)
        return changed if changed != text else ""
