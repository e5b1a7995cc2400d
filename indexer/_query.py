"""Query strings -> Whoosh queries: default AND, OR/ИЛИ, NOT/НЕ, "phrases" across word forms, prefix*,
field filters (title:, site:, lang:, region:), and a clear ``QueryError`` for malformed input.

    >>> parse_query(parser, 'соглашение "Курская область"')      # doctest: +SKIP
    And([Or([Term('title', 'соглашение'), ...]), Or([SpanNear2(...), ...])])
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from whoosh import query
from whoosh.qparser import (
    AndGroup,
    FieldAliasPlugin,
    MultifieldParser,
    OperatorsPlugin,
    PhrasePlugin,
    SingleQuotePlugin,
)
from whoosh.qparser.syntax import attach
from whoosh.query import spans

from core.errors import QueryError
from indexer._schema import TEXT_FIELDS

__all__ = ["FIELD_ALIASES", "filter_query", "make_parser", "parse_query", "text_leaves"]

# Query-syntax field names -> schema fields.
FIELD_ALIASES: dict[str, list[str]] = {
    "regions": ["region", "регион"],
    "title": ["заголовок"],
    "site": ["сайт"],
    "lang": ["язык"],
    "published": ["date", "дата"],
}
_KNOWN_FIELDS = {a for names in FIELD_ALIASES.values() for a in names} | {
    "title", "body", "site", "lang", "regions", "published", "year", "url",
    "title_be", "body_be", "title_en", "body_en", "fact_types", "persons",
}  # fmt: skip
_FIELD_REF = re.compile(r"(?<![\w\"])([^\W\d_]+):(?=\S)")
_OPERATOR = r"(?:AND|И|OR|ИЛИ|NOT|НЕ)"
_DANGLING = re.compile(rf"(^\s*(?:AND|И|OR|ИЛИ)\s)|(\s{_OPERATOR}\s*$)|(^\s*{_OPERATOR}\s*$)")


class _LemmaSpanOr(spans.SpanOr):  # type: ignore[misc]
    """Whoosh's ``SpanOr`` with the size estimates an ``Or`` over it needs to plan its matchers."""

    def estimate_size(self, ixreader: Any) -> int:
        return int(self.q.estimate_size(ixreader))

    def estimate_min_size(self, ixreader: Any) -> int:
        return int(self.q.estimate_min_size(ixreader))

    def children(self) -> Any:
        return iter(self.subqs)


class _LemmaPhraseNode(PhrasePlugin.PhraseNode):  # type: ignore[misc]
    """A quoted phrase whose every position may hold several lemmas (ambiguous forms)."""

    def query(self, parser: Any) -> Any:
        fieldname = self.fieldname or parser.fieldname
        field = parser.schema[fieldname] if fieldname in parser.schema else None
        if field is None or field.analyzer is None:
            return attach(query.NullQuery, self)
        if not field.format.supports("positions"):
            texts = list(field.process_text(self.text, mode="query"))
            terms = [query.Term(fieldname, t) for t in texts]
            q: Any = terms[0] if len(terms) == 1 else query.And(terms) if terms else query.NullQuery
            return attach(q, self)
        groups: dict[int, list[str]] = {}
        for t in field.tokenize(self.text, mode="query", positions=True):
            groups.setdefault(t.pos, [])
            if t.text not in groups[t.pos]:
                groups[t.pos].append(t.text)
        if not groups:
            return attach(query.NullQuery, self)
        clauses = [
            query.Term(fieldname, words[0])
            if len(words) == 1
            else _LemmaSpanOr([query.Term(fieldname, w) for w in words])
            for _, words in sorted(groups.items())
        ]
        if len(clauses) == 1:
            q = clauses[0]
        else:
            positions = sorted(groups)
            gap = max(b - a for a, b in zip(positions, positions[1:], strict=False))
            q = spans.SpanNear2(clauses, slop=max(gap, self.slop), ordered=True)
        q.boost = self.boost
        return attach(q, self)


class _LemmaPhrasePlugin(PhrasePlugin):  # type: ignore[misc]
    class PhraseTagger(PhrasePlugin.PhraseTagger):  # type: ignore[misc]
        def create(self, parser: Any, match: Any) -> Any:
            slopstr = match.group("slop")
            return _LemmaPhraseNode(
                match.group("text"), match.start("text"), int(slopstr) if slopstr else 1
            )

    def taggers(self, parser: Any) -> Any:
        return [(self.PhraseTagger(self.expr), 0)]


def make_parser(schema: Any) -> Any:
    """The query parser over every text field, AND by default, with Russian operator words."""
    parser = MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=TEXT_FIELDS, group=AndGroup)
    parser.remove_plugin_class(PhrasePlugin)
    parser.remove_plugin_class(SingleQuotePlugin)
    parser.add_plugin(_LemmaPhrasePlugin())
    parser.replace_plugin(
        OperatorsPlugin(
            And=r"(?<=\s)(?:AND|И)(?=\s)",
            Or=r"(?<=\s)(?:OR|ИЛИ)(?=\s)",
            Not=r"(^|(?<=(\s|[()])))(?:NOT|НЕ)(?=\s)",
            AndNot=r"(?<=\s)ANDNOT(?=\s)",
            AndMaybe=r"(?<=\s)ANDMAYBE(?=\s)",
            Require=r"(^|(?<=\s))REQUIRE(?=\s)",
        )
    )
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    return parser


def _check_syntax(text: str) -> None:
    if text.count('"') % 2:
        raise QueryError(
            'в запросе непарная кавычка / unbalanced quote: close the phrase with a second "'
        )
    depth = 0
    for ch in re.sub(r'"[^"]*"', "", text):
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            break
    if depth:
        raise QueryError("в запросе непарная скобка / unbalanced parenthesis")
    for match in _FIELD_REF.finditer(re.sub(r'"[^"]*"', "", text)):
        name = match.group(1)
        if name not in _KNOWN_FIELDS and name.lower() not in ("http", "https"):
            raise QueryError(
                f"неизвестное поле {name!r} / unknown field; use title:, site:, lang:, region:"
            )
    if _DANGLING.search(text):
        raise QueryError("оператору не хватает слова / an operator (AND, OR, NOT) lacks a word")


def _errors(q: Any) -> Iterator[str]:
    error = getattr(q, "error", None)
    if error:
        yield str(error)
    for child in q.children() if hasattr(q, "children") else ():
        yield from _errors(child)


def parse_query(parser: Any, text: str) -> Any:
    """Parse a user query; ``Every()`` for an empty one; ``QueryError`` for a malformed one."""
    if not text.strip():
        return query.Every()
    _check_syntax(text)
    try:
        q = parser.parse(text)
    except Exception as exc:  # noqa: BLE001 -- whoosh's parser raises bare exceptions
        raise QueryError(f"не удалось разобрать запрос / cannot parse the query: {exc}") from exc
    for message in _errors(q):
        raise QueryError(f"ошибка в запросе / malformed query: {message}")
    if q is None or isinstance(q, type(query.NullQuery)):
        raise QueryError(
            "в запросе нет слов для поиска (только стоп-слова?) / the query has no searchable words"
        )
    return q


def filter_query(
    *, since: str = "", until: str = "", site: str = "", lang: str = "", region: str = ""
) -> Any:
    """The filter of the request's fields, or None when nothing filters."""
    parts: list[Any] = []
    if site:
        parts.append(query.Term("site", site))
    if lang:
        parts.append(query.Term("lang", lang))
    if region:
        parts.append(query.Term("regions", region.strip().lower()))
    if since or until:
        parts.append(
            query.TermRange(
                "published",
                since or None,
                (until + "\uffff") if until else None,
                constantscore=True,
            )
        )
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)


def text_leaves(q: Any) -> Iterator[tuple[Any, int | None, int | None]]:
    """(leaf query, startchar, endchar) of every positive leaf on a text field."""

    def walk(node: Any, start: int | None, end: int | None) -> Iterator[tuple[Any, Any, Any]]:
        start = (
            getattr(node, "startchar", None)
            if getattr(node, "startchar", None) is not None
            else start
        )
        end = getattr(node, "endchar", None) if getattr(node, "endchar", None) is not None else end
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.AndNot):
            yield from walk(node.a, start, end)
            return
        if isinstance(node, query.Term | query.PatternQuery):
            if node.fieldname in TEXT_FIELDS:
                yield node, start, end
            return
        children = node.children() if hasattr(node, "children") else ()
        for child in children:
            yield from walk(child, start, end)

    yield from walk(q, None, None)
