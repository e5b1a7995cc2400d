"""A store document as a row of the PostgreSQL search index: vestnik's own analysis as a tsvector.

The fields are the Whoosh index's (``indexer._schema.document_fields``) and each is analyzed by the
very field object of the Whoosh schema, so both backends index the same terms at the same
positions. They become one ``tsvector`` written as a literal (``'lemma':pos ...``; the server
parses it and adds no stemming or normalization of its own):

- **lexemes**: Russian terms (pymorphy3 lemmas, several at one position for an ambiguous form) as
  they are; Belarusian terms tagged ``~``, English stems ``^`` (no term starts with either), so the
  languages' terms never meet, as in Whoosh's per-language fields;
- **weights**: titles ``A``, bodies ``D`` (``title:`` and ``body:`` restrict to a weight; ranking
  counts titles double);
- **positions**: each field's Whoosh positions, plus 1, the fields one after another (titles first)
  with an empty position between them, so a phrase never runs from a title into the body.
  PostgreSQL keeps positions up to 16,383 and 256 per lexeme; the row keeps what it would keep.

A tsvector that fits in the table row (``INLINE_MAX`` bytes, most news articles) goes to the column
``tsv``, stored uncompressed in the row: matching and ranking then read it where the row is, with
no decompression and no TOAST lookup (20x faster matching measured); a bigger one (a long
attachment) goes to ``tsv_big``, compressed out of line as usual. Queries read
``coalesce(tsv, tsv_big)`` (``indexer._pg_db.TSV``), which a GIN index covers.

>>> tsvector_literal({"курский": [(1, "A"), (9, "D")], "д'артаньян": [(2, "D")]})
"'курский':1A,9 'д''артаньян':2"
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from core.records import Document
from indexer._schema import (
    TEXT_FIELDS,
    LemmaPositions,
    build_schema,
    document_fields,
    lang_of_field,
)

__all__ = [
    "ARRAY_FIELDS",
    "COLUMNS",
    "INLINE_MAX",
    "MAX_POSITION",
    "MAX_POSITIONS",
    "META_COLUMNS",
    "TAGS",
    "doc_row",
    "lexeme_of",
    "quote",
    "tsvector_literal",
    "weight_of",
]

TAGS: dict[str, str] = {"ru": "", "be": "~", "en": "^"}
MAX_POSITION = 16383  # tsvector positions are 1..16383 (larger ones are set to 16383)
MAX_POSITIONS = 256  # positions a tsvector keeps per lexeme
ARRAY_FIELDS = ("regions", "region_names", "fact_types", "persons")
META_COLUMNS = (
    "doc_id", "url", "site", "lang", "published", "kind", "file_type", "parent_url", *ARRAY_FIELDS,
)  # fmt: skip
COLUMNS = (*META_COLUMNS, "tsv", "tsv_big")
INLINE_MAX = 7000  # bytes of a tsvector kept in the row (a heap row holds at most 8,160)
# text fields in position order: titles first, then bodies
_TEXT_ORDER = tuple(sorted(TEXT_FIELDS, key=lambda f: (not f.startswith("title"), f)))


@functools.cache
def schema() -> Any:
    """The Whoosh schema whose field objects analyze for both backends (one per process)."""
    return build_schema()


def lexeme_of(fieldname: str, term: str) -> str:
    """The tsvector lexeme of a text field's term (its language's tag in front)."""
    return TAGS[lang_of_field(fieldname)] + term


def weight_of(fieldname: str) -> str:
    """``A`` for title fields, ``D`` for bodies."""
    return "A" if fieldname.startswith("title") else "D"


def quote(lexeme: str) -> str:
    """A lexeme quoted for a tsvector or tsquery literal.

    >>> quote("д'артаньян")
    "'д''артаньян'"
    """
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def field_positions(fieldname: str, text: str) -> dict[str, list[int]]:
    """Each term of ``text`` in a text field with its positions, as Whoosh indexes the field."""
    field = schema()[fieldname]
    fast = getattr(field.analyzer, "index_positions", None)
    if fast is not None and isinstance(field.format, LemmaPositions):
        positions: dict[str, list[int]] = fast(text)
        return positions
    fmt = field.format
    return {
        term: list(fmt.decode_positions(value))
        for term, _, _, value in fmt.word_values(text, field.analyzer, mode="index")
    }


def tsvector_literal(lexemes: Mapping[str, Sequence[tuple[int, str]]]) -> str:
    """The tsvector literal of lexemes with their (position, weight) pairs, kept as PostgreSQL keeps
    them: positions clamped to ``MAX_POSITION``, one weight per position, at most
    ``MAX_POSITIONS`` each, sorted."""
    return _tsvector(lexemes)[0]


def _tsvector(lexemes: Mapping[str, Sequence[tuple[int, str]]]) -> tuple[str, int]:
    """The literal and the stored size in bytes (PostgreSQL's layout: an 8-byte header, 4 bytes
    per lexeme, its text padded to even, 2 bytes of count and 2 per position)."""
    parts = []
    size = 8
    for lexeme, pairs in lexemes.items():
        kept: dict[int, str] = {}
        for pos, weight in sorted(pairs):
            kept.setdefault(min(pos, MAX_POSITION), weight)
        positions = list(kept.items())[:MAX_POSITIONS]
        body = ",".join(f"{p}{'' if w == 'D' else w}" for p, w in positions)
        parts.append(f"{quote(lexeme)}:{body}")
        n = len(lexeme.encode())
        size += 4 + n + (n & 1) + 2 + 2 * len(positions)
    return " ".join(parts), size


def _keywords(fieldname: str, value: str) -> list[str]:
    """A keyword field's terms (Whoosh's analysis of it), each once, in order."""
    return list(dict.fromkeys(schema()[fieldname].process_text(value, mode="index")))


def doc_row(doc: Document, derived: Mapping[str, Sequence[str]] | None) -> tuple[object, ...]:
    """The ``docs`` row of a store document with its derived fields, in ``COLUMNS`` order (the
    ``meta`` row is its first ``len(META_COLUMNS)`` values)."""
    fields = document_fields(doc, derived)
    lexemes: dict[str, list[tuple[int, str]]] = {}
    offset = 1  # tsvector positions start at 1
    for fieldname in _TEXT_ORDER:
        text = fields.get(fieldname) or ""
        if not text:
            continue
        weight = weight_of(fieldname)
        last = -1
        for term, positions in field_positions(fieldname, text).items():
            pairs = lexemes.setdefault(lexeme_of(fieldname, term), [])
            pairs.extend((offset + p, weight) for p in positions)
            last = max(last, *positions)
        if last >= 0:
            offset += last + 2  # an empty position between two fields
    literal, size = _tsvector(lexemes)
    return (
        doc.id,
        fields["url"],
        fields["site"],
        fields["lang"],
        fields.get("published", ""),
        fields.get("kind", "page"),
        fields.get("file_type", ""),
        fields.get("parent_url", ""),
        *(_keywords(f, fields[f]) if fields.get(f) else [] for f in ARRAY_FIELDS),
        *((literal, None) if size <= INLINE_MAX else (None, literal)),
    )
