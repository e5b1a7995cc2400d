"""The PostgreSQL backend's compilation of a query tree: a ``tsquery`` where text is, SQL elsewhere.

The tree (``indexer._qtree``) is first compiled by the same ``compile_tree`` the Whoosh backend
uses (each word analyzed by its field's analyzer, stop words dropped the same way); that plan then
becomes one SQL condition over ``vestnik_search.docs`` (or ``meta``, when the query has no words):

- words, phrases and prefixes become ``tsquery`` text (lexemes tagged by language as in
  ``indexer._pg_rows``): a word is the OR of its lemmas, a phrase ``<->`` between its positions
  (each position the OR of its lemmas), a prefix ``'lemma':*``; ``title:``/``body:`` add the weight
  ``A``/``D``. A subtree of text only is one ``tsquery`` (``&``, ``|``, ``!``), so the GIN index
  answers it in one scan;
- filters become SQL on columns (``site = ...``, ``regions @> ARRAY[...]``, ``published`` ranges
  in byte order, as Whoosh's sorted terms); wildcard patterns (``ц?фров*``) are expanded over the
  lexicon first, like Whoosh expands them over its terms (at most ``MAX_EXPANSION`` per field).

``compile_sql`` also gives the ranking query: the positive text of the tree (``ts_rank_cd``).

>>> from indexer._qtree import parse
>>> c = compile_sql(parse('title:соглашение "Курская область" site:mpt'), _no_lexicon)
>>> c.where
'(coalesce(tsv, tsv_big) @@ CAST(%s AS tsquery) AND site = %s)'
>>> for part in c.params[0].split(" & "): print(part)
( 'соглашение':A | '~соглашение':A | '^соглашение':A )
( 'курский' <-> 'область' | '~курская' <-> '~область' | '^курская' <-> '^область' )
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.errors import QueryError
from indexer._engine import (
    MAX_EXPANSION,
    Plan,
    _All,
    _Expand,
    _Keyword,
    _Phrase,
    _Terms,
    compile_tree,
)
from indexer._pg_db import TSV
from indexer._pg_rows import ARRAY_FIELDS, TAGS, lexeme_of, quote, schema, weight_of
from indexer._qtree import Node
from indexer._schema import lang_of_field

__all__ = ["Compiled", "Lexicon", "compile_sql"]

# (language tag, LIKE pattern after the tag, weight "A" | "D") -> lexemes of that language matching
# the pattern in titles (A) or bodies (D), sorted by code point
Lexicon = Callable[[str, str, str], list[str]]
_COLUMNS = {"site", "lang", "url", "published", "kind"}
_TAG_CHARS = frozenset(t for t in TAGS.values() if t)


@dataclass(frozen=True)
class Compiled:
    """A SQL condition with its parameters, and the ``tsquery`` text to rank by ("": none);
    ``words``: whether it reads the tsvector (else the narrow ``meta`` table answers it)."""

    where: str
    params: tuple[object, ...]
    rank: str

    @property
    def words(self) -> bool:
        return TSV in self.where


@dataclass(frozen=True)
class _Ts:
    """A tsquery expression."""

    text: str


@dataclass(frozen=True)
class _Sql:
    """A SQL condition that is never NULL."""

    text: str
    params: tuple[object, ...] = ()


_TRUE, _FALSE = _Sql("TRUE"), _Sql("FALSE")
_Expr = _Ts | _Sql


@dataclass(frozen=True)
class _Part:
    expr: _Expr
    rank: str  # the positive text under it, as tsquery text


def _no_lexicon(tag: str, like: str, weight: str) -> list[str]:
    return []


def _alternatives(options: Sequence[str]) -> str:
    unique = list(dict.fromkeys(options))
    return unique[0] if len(unique) == 1 else "( " + " | ".join(unique) + " )"


def _weighted(lexeme: str, weights: set[str], prefix: bool = False) -> str:
    """A quoted lexeme with its weight restriction (none when it may be in titles and bodies)."""
    suffix = ":*" if prefix else ""
    if len(weights) == 1:
        suffix = (suffix or ":") + next(iter(weights))
    return quote(lexeme) + suffix


def _by_lexeme(pairs: Sequence[tuple[str, str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for lexeme, weight in pairs:
        out.setdefault(lexeme, set()).add(weight)
    return out


def _terms(plan: _Terms) -> _Ts:
    pairs = [(lexeme_of(f, t), weight_of(f)) for f, t, _ in plan.terms]
    return _Ts(_alternatives([_weighted(lx, ws) for lx, ws in _by_lexeme(pairs).items()]))


def _phrase(plan: _Phrase) -> _Ts:
    # a title and a body phrase of one language are one phrase without a weight (the empty
    # position between fields keeps it inside one of them)
    weights: dict[tuple[tuple[str, ...], ...], set[str]] = {}
    for fieldname, _, groups in plan.fields:
        key = tuple(tuple(lexeme_of(fieldname, t) for t in g) for g in groups)
        weights.setdefault(key, set()).add(weight_of(fieldname))
    options = [
        " <-> ".join(_alternatives([_weighted(lx, ws) for lx in group]) for group in groups)
        for groups, ws in weights.items()
    ]
    return _Ts(_alternatives(options))


def _like(pattern: str) -> str:
    """A ``fnmatch`` pattern of ``*`` and ``?`` as a SQL ``LIKE`` pattern (``\\`` escapes)."""
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%").replace("?", "_")


def _expand(plan: _Expand, lexicon: Lexicon) -> _Expr:
    weights: dict[str, set[str]] = {}
    for fieldname, _ in plan.fields:
        weights.setdefault(TAGS[lang_of_field(fieldname)], set()).add(weight_of(fieldname))
    options: list[str] = []
    for tag, ws in weights.items():
        if not tag and plan.prefix[:1] in _TAG_CHARS:
            continue  # a Russian term never starts with another language's tag
        if not plan.pattern:
            options.append(_weighted(tag + plan.prefix, ws, prefix=True))
            continue
        like = _like(plan.prefix) + "%" if "[" in plan.pattern else _like(plan.pattern)
        for weight in sorted(ws):
            found = [
                lx for lx in lexicon(tag, like, weight)
                if fnmatch.fnmatchcase(lx[len(tag) :], plan.pattern)
            ][:MAX_EXPANSION]  # fmt: skip
            options += [_weighted(lx, {weight}) for lx in found]
    return _Ts(_alternatives(options)) if options else _FALSE


def _keyword(plan: _Keyword) -> _Sql:
    if plan.field in ARRAY_FIELDS:
        return _Sql(f"{plan.field} @> ARRAY[%s]::text[]", (plan.value,))
    if plan.field not in _COLUMNS:
        raise QueryError(f"поле {plan.field!r} нельзя искать / the field cannot be searched")
    col = plan.field
    if plan.high is None and not plan.prefix:
        return _Sql(f"{col} = %s", (plan.value,))
    if plan.high is None:  # a prefix: year, year-month, day
        return _Sql(f"({col} <> '' AND starts_with({col}, %s))", (plan.value,))
    parts, params = [f"{col} <> ''"], []
    if plan.value:
        parts.append(f'{col} COLLATE "C" >= %s')
        params.append(plan.value)
    if plan.high:
        parts.append(f'({col} COLLATE "C" <= %s OR starts_with({col}, %s))')
        params += [plan.high, plan.high]
    return _Sql("(" + " AND ".join(parts) + ")", tuple(params))


def _sql(expr: _Expr) -> _Sql:
    if isinstance(expr, _Sql):
        return expr
    return _Sql(f"{TSV} @@ CAST(%s AS tsquery)", (expr.text,))


def _atomic(text: str) -> bool:
    """True when ``text`` is one operand: a lexeme, or a group in parentheses (no blank outside
    parentheses and quotes)."""
    depth, quoted = 0, False
    for ch in text:
        if ch == "'":
            quoted = not quoted  # a doubled '' inside a lexeme toggles twice
        elif not quoted:
            depth += (ch == "(") - (ch == ")")
            if ch == " " and depth == 0:
                return False
    return True


def _paren(text: str) -> str:
    return text if _atomic(text) else f"( {text} )"


def _join_ts(op: str, texts: Sequence[str]) -> str:
    return texts[0] if len(texts) == 1 else f" {op} ".join(_paren(t) for t in texts)


def _join_sql(op: str, parts: Sequence[_Sql]) -> _Sql:
    if len(parts) == 1:
        return parts[0]
    text = f" {op} ".join(p.text for p in parts)
    return _Sql(f"({text})", tuple(x for p in parts for x in p.params))


def _and(items: list[_Part], negated: list[_Part]) -> _Part:
    ranks = [p.rank for p in items if p.rank]
    rank = _join_ts("&", ranks) if ranks else ""
    if any(p.expr == _FALSE for p in items) or any(p.expr == _TRUE for p in negated):
        return _Part(_FALSE, "")
    ts = [p.expr.text for p in items if isinstance(p.expr, _Ts)]
    ts += ["!" + _paren(p.expr.text) for p in negated if isinstance(p.expr, _Ts)]
    sql = [p.expr for p in items if isinstance(p.expr, _Sql) and p.expr != _TRUE]
    sql += [_Sql(f"NOT ({s.text})", s.params) for p in negated
            if isinstance(s := p.expr, _Sql) and s != _FALSE]  # fmt: skip
    if not sql:
        return _Part(_Ts(_join_ts("&", ts)) if ts else _TRUE, rank)
    if ts:
        sql.insert(0, _sql(_Ts(_join_ts("&", ts))))
    return _Part(_join_sql("AND", sql), rank)


def _or(items: list[_Part]) -> _Part:
    ranks = [p.rank for p in items if p.rank]
    rank = _join_ts("|", ranks) if ranks else ""
    if any(p.expr == _TRUE for p in items):
        return _Part(_TRUE, rank)
    ts = [p.expr.text for p in items if isinstance(p.expr, _Ts)]
    sql = [p.expr for p in items if isinstance(p.expr, _Sql) and p.expr != _FALSE]
    if not sql:
        return _Part(_Ts(_join_ts("|", ts)) if ts else _FALSE, rank)
    if ts:
        sql.insert(0, _sql(_Ts(_join_ts("|", ts))))
    return _Part(_join_sql("OR", sql), rank)


def _part(plan: Plan, lexicon: Lexicon) -> _Part:
    if isinstance(plan, _Terms | _Phrase | _Expand):
        if isinstance(plan, _Terms):
            expr: _Expr = _terms(plan)
        elif isinstance(plan, _Phrase):
            expr = _phrase(plan)
        else:
            expr = _expand(plan, lexicon)
        return _Part(expr, expr.text if isinstance(expr, _Ts) else "")
    if isinstance(plan, _Keyword):
        return _Part(_keyword(plan), "")
    if isinstance(plan, _All):
        return _Part(_TRUE, "")
    items = [_part(p, lexicon) for p in plan.items]
    if plan.op == "or":
        return _or(items)
    return _and(items, [_part(p, lexicon) for p in plan.negated])


def compile_sql(tree: Node, lexicon: Lexicon) -> Compiled:
    """The SQL condition of a query tree over ``vestnik_search.docs`` (``QueryError`` when it has
    no searchable word, as on the Whoosh backend); ``lexicon(tag, like, weight)`` lists indexed
    lexemes for wildcard patterns (see ``Lexicon``)."""
    top = _part(compile_tree(tree, schema()), lexicon)
    where = _sql(top.expr)
    return Compiled(where.text, where.params, top.rank)
