"""vestnik's query language as one tree, parsed once and compiled by each search backend.

    >>> parse('соглашение "Курская область" OR регион:"Брянская область" NOT site:mpt')
    And(items=(Word(text='соглашение', fields=()), Or(items=(Phrase(text='Курская область', fields=()), Filter(field='regions', value='брянская область'))), Not(item=Filter(field='site', value='mpt'))))

Grammar (operators are upper-case words; anything else is a word)::

    query   := seq
    seq     := either+                      implicit AND, the loosest
    either  := both (("OR" | "ИЛИ") both)*
    both    := unary (("AND" | "И") unary)*
    unary   := ("NOT" | "НЕ") unary | atom
    atom    := "(" seq ")" | FIELD ":" (WORD | "PHRASE") | "PHRASE" | WORD | WORD*

Text fields (``title:``, ``body:``) narrow words and phrases to those fields; keyword fields
(``site:``, ``lang:``, ``region:``, ``date:``...) become ``Filter`` leaves. A malformed query is a
``QueryError`` with one line in Russian and English; a query is at most ``MAX_QUERY_CHARS``
characters and ``MAX_LEAVES`` words in at most ``MAX_DEPTH`` nested parentheses, so parsing and searching stay bounded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from core.errors import QueryError

__all__ = [
    "FIELD_NAMES",
    "MAX_DEPTH",
    "MAX_LEAVES",
    "MAX_QUERY_CHARS",
    "And",
    "Every",
    "Filter",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "Prefix",
    "Range",
    "Word",
    "leaves",
    "parse",
]

MAX_QUERY_CHARS = 1000
MAX_LEAVES = 64
MAX_DEPTH = 16  # nested parentheses


@dataclass(frozen=True)
class Word:
    """A word, in any form; ``fields`` narrows it (empty: every text field)."""

    text: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Phrase:
    """Words adjacent and in order, each in any form."""

    text: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Prefix:
    """Lemmas starting with ``text`` (``цифров*``); ``*``/``?`` inside make it a pattern."""

    text: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Filter:
    """A keyword field's value: ``site``, ``lang``, ``regions``, ``published`` (a prefix: year,
    year-month or day), ``url``, ``fact_types``, ``persons``, ``kind`` ("page", "attachment")."""

    field: str
    value: str


@dataclass(frozen=True)
class Range:
    """A keyword field's values from ``low`` to ``high`` (both ends in; ``high`` as a prefix, so
    "2024-05-31" takes "2024-05-31T10:00"); empty ends are open. A request filter (dates)."""

    field: str
    low: str = ""
    high: str = ""


@dataclass(frozen=True)
class Every:
    """Every document (the empty query)."""


@dataclass(frozen=True)
class And:
    """Every item matches."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """At least one item matches."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """The item does not match."""

    item: Node


Node = Word | Phrase | Prefix | Filter | Range | Every | And | Or | Not

# query field name -> ("text", text fields) or ("filter", keyword field)
_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "title": ("text", ("title", "title_be", "title_en")),
    "заголовок": ("text", ("title", "title_be", "title_en")),
    "body": ("text", ("body", "body_be", "body_en")),
    "текст": ("text", ("body", "body_be", "body_en")),
    **{f: ("text", (f,)) for f in ("title_be", "body_be", "title_en", "body_en")},
    "site": ("filter", ("site",)),
    "сайт": ("filter", ("site",)),
    "lang": ("filter", ("lang",)),
    "язык": ("filter", ("lang",)),
    "region": ("filter", ("regions",)),
    "regions": ("filter", ("regions",)),
    "регион": ("filter", ("regions",)),
    "date": ("filter", ("published",)),
    "дата": ("filter", ("published",)),
    "published": ("filter", ("published",)),
    "year": ("filter", ("published",)),
    "год": ("filter", ("published",)),
    "url": ("filter", ("url",)),
    "fact_types": ("filter", ("fact_types",)),
    "persons": ("filter", ("persons",)),
    "kind": ("filter", ("kind",)),
    "тип": ("filter", ("kind",)),
}
# ``kind:``/``тип:`` values in either language -> the stored kind (``core.enums.DocKind``)
_KINDS = {
    "attachment": "attachment", "attachments": "attachment", "file": "attachment",
    "вложение": "attachment", "вложения": "attachment", "файл": "attachment", "файлы": "attachment",
    "page": "page", "pages": "page", "страница": "page", "страницы": "page",
    "новость": "page", "новости": "page",
}  # fmt: skip
FIELD_NAMES: frozenset[str] = frozenset(_FIELDS)

_TOKEN = re.compile(
    r'(?P<phrase>"[^"]*")'
    r"|(?P<open>\()|(?P<close>\))"
    r"|(?P<field>[^\W\d_]+):(?=\S)"
    r'|(?P<word>[^\s()"]+)'
)
_OPERATORS = {"AND": "and", "И": "and", "OR": "or", "ИЛИ": "or", "NOT": "not", "НЕ": "not"}
# Characters that carry no meaning in a query: controls, bidi marks, zero-width and BOM.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


@dataclass(frozen=True)
class _Tok:
    kind: str  # phrase | open | close | field | word | and | or | not
    text: str


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "word"
        value = m.group(kind)
        if kind == "word" and value in _OPERATORS:
            kind = _OPERATORS[value]
        elif kind == "field" and value.lower() not in _FIELDS:
            if value.lower() in ("http", "https"):  # a URL typed as a word
                kind, value = "word", value + ":"
            else:
                raise QueryError(
                    f"неизвестное поле {value!r} / unknown field; use title:, site:, lang:, "
                    "region:, date:"
                )
        out.append(_Tok(kind, value))
    return out


def _check(text: str) -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"запрос длиннее {MAX_QUERY_CHARS} символов / the query is longer than "
            f"{MAX_QUERY_CHARS} characters ({len(text)}); shorten it"
        )
    if text.count('"') % 2:
        raise QueryError(
            'в запросе непарная кавычка / unbalanced quote: close the phrase with a second "'
        )
    depth = deepest = 0
    for ch in re.sub(r'"[^"]*"', "", text):
        depth += (ch == "(") - (ch == ")")
        deepest = max(deepest, depth)
        if depth < 0:
            break
    if depth:
        raise QueryError("в запросе непарная скобка / unbalanced parenthesis")
    if deepest > MAX_DEPTH:
        raise QueryError(
            f"скобки вложены глубже {MAX_DEPTH} уровней / parentheses nested deeper than {MAX_DEPTH}"
        )


class _Parser:
    def __init__(self, tokens: list[_Tok]) -> None:
        self.toks, self.i = tokens, 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def seq(self) -> Node | None:
        items: list[Node] = []
        while (tok := self.peek()) is not None and tok.kind != "close":
            node = self.either()
            if node is not None:
                items.append(node)
        return _join(And, items)

    def either(self) -> Node | None:
        items = [self.both()]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.take()
            items.append(self.both())
        return _join(Or, [n for n in items if n is not None])

    def both(self) -> Node | None:
        items = [self.unary()]
        while (tok := self.peek()) is not None and tok.kind == "and":
            self.take()
            items.append(self.unary())
        return _join(And, [n for n in items if n is not None])

    def unary(self) -> Node | None:
        tok = self.peek()
        if tok is None or tok.kind in ("and", "or", "close"):
            raise QueryError("оператору не хватает слова / an operator (AND, OR, NOT) lacks a word")
        if tok.kind == "not":
            self.take()
            item = self.unary()
            return Not(item) if item is not None else None
        return self.atom()

    def atom(self) -> Node | None:
        tok = self.take()
        if tok.kind == "open":
            inner = self.seq()
            if self.peek() is not None:
                self.take()  # the closing parenthesis (balance was checked)
            return inner
        if tok.kind == "field":
            kind, fields = _FIELDS[tok.text.lower()]
            value = self.peek()
            if value is None or value.kind not in ("word", "phrase"):
                raise QueryError(f"после {tok.text}: нет значения / {tok.text}: needs a value")
            self.take()
            if kind == "filter":
                text = value.text.strip('"') if value.kind == "phrase" else value.text
                return _filter(fields[0], text)
            return _text_leaf(value, fields)
        return _text_leaf(tok, ())


def _filter(field: str, value: str) -> Node | None:
    value = " ".join(value.split())
    if not value:
        return None
    if field in ("regions", "fact_types", "persons"):
        value = value.lower().replace("ё", "е") if field == "regions" else value.lower()
    elif field == "kind":
        value = _KINDS.get(value.lower(), value.lower())
    return Filter(field, value)


def _text_leaf(tok: _Tok, fields: tuple[str, ...]) -> Node | None:
    if tok.kind == "phrase":
        text = " ".join(tok.text[1:-1].split())
        return Phrase(text, fields) if text else None
    text = tok.text
    if ("*" in text or "?" in text) and text.strip("*?"):
        return Prefix(text, fields)
    if not any(c.isalnum() for c in text):
        return None  # punctuation only ("*", "-", "\\")
    return Word(text, fields)


def _join(kind: type[And] | type[Or], items: list[Node]) -> Node | None:
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    flat: list[Node] = []
    for item in items:
        flat.extend(item.items if isinstance(item, kind) else (item,))
    return kind(tuple(flat))


def leaves(node: Node) -> Iterator[tuple[Node, bool]]:
    """Every leaf with whether it counts positively (False under a ``Not``)."""

    def walk(n: Node, positive: bool) -> Iterator[tuple[Node, bool]]:
        if isinstance(n, And | Or):
            for item in n.items:
                yield from walk(item, positive)
        elif isinstance(n, Not):
            yield from walk(n.item, not positive)
        else:
            yield n, positive

    yield from walk(node, True)


def parse(text: str) -> Node:
    """The tree of a query string; ``Every()`` for an empty one; ``QueryError`` when malformed."""
    text = _INVISIBLE.sub(" ", text)
    if not text.strip():
        return Every()
    _check(text)
    tokens = _tokens(text)
    if sum(t.kind in ("word", "phrase") for t in tokens) > MAX_LEAVES:
        raise QueryError(
            f"в запросе больше {MAX_LEAVES} слов / more than {MAX_LEAVES} words in the query"
        )
    if tokens and tokens[-1].kind in ("and", "or", "not"):
        raise QueryError("оператору не хватает слова / an operator (AND, OR, NOT) lacks a word")
    parser = _Parser(tokens)
    node = parser.seq()
    while parser.peek() is not None:  # a stray ")" (balance was checked, so none is left)
        parser.take()
    if node is None:
        raise QueryError("в запросе нет слов для поиска / the query has no searchable words")
    if all(not positive for _, positive in leaves(node)):
        node = And((Every(), node))
    return node
