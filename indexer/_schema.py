"""The Whoosh schema of vestnik's index, and how a store document becomes index fields.

Text is indexed in per-language fields (``title``/``body`` Russian, ``title_be``/``body_be``
Belarusian, ``title_en``/``body_en`` English) so each language gets its own analyzer, while the
stored ``title`` and ``body`` always hold the text shown in results (``_stored_<field>``).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.system import pack_uint

from core.records import Document
from indexer._analysis import belarusian_analyzer, english_analyzer, russian_analyzer

__all__ = [
    "FACET_FIELDS",
    "SCHEMA_VERSION",
    "TEXT_FIELDS",
    "LemmaPositions",
    "build_schema",
    "document_fields",
    "lang_of_field",
]

SCHEMA_VERSION = 3  # 3: kind, file_type, parent_url (attachments)

# Searched by plain query words, with their boosts (titles count double).
TEXT_FIELDS: dict[str, float] = {
    "title": 2.0,
    "body": 1.0,
    "title_be": 2.0,
    "body_be": 1.0,
    "title_en": 2.0,
    "body_en": 1.0,
}

# Facet name -> the field it counts.
FACET_FIELDS: dict[str, str] = {
    "site": "site",
    "year": "published",  # counted by the first four characters
    "lang": "lang",
    "region": "region_names",
    "kind": "kind",  # "page" | "attachment"
}


def lang_of_field(fieldname: str) -> str:
    """ "be" for ``*_be`` fields, "en" for ``*_en``, else "ru"."""
    if fieldname.endswith("_be"):
        return "be"
    if fieldname.endswith("_en"):
        return "en"
    return "ru"


_SHARED_LIMIT = 200_000  # entries of each cache below (cleared when full)
_term_bytes: dict[str, bytes] = {}
_one_position: dict[int, bytes] = {}


def _encode_positions(poslist: list[int]) -> bytes:
    """``Positions.encode``'s bytes (a count, then the pickled position deltas); a single
    position's encoding is shared between the postings that have it."""
    if len(poslist) == 1:
        pos = poslist[0]
        found = _one_position.get(pos)
        if found is None:
            if len(_one_position) >= _SHARED_LIMIT:
                _one_position.clear()
            found = _one_position[pos] = bytes(pack_uint(1)) + pickle.dumps(poslist, 2)
        return found
    deltas = [poslist[0], *(b - a for a, b in zip(poslist, poslist[1:], strict=False))]
    return bytes(pack_uint(len(deltas))) + pickle.dumps(deltas, 2)


class LemmaPositions(Positions):  # type: ignore[misc]
    """Whoosh's Positions format, taking an indexed text's terms and positions straight from the
    analyzer when it offers them (``RussianAnalyzer.index_positions``): the same postings, without a
    token object per word. Any other call goes through the tokens as usual. ``posting_items`` gives
    ``IndexWriter`` a field's postings as one list."""

    def posting_items(
        self, fieldname: str, value: Any, analyzer: Any, docnum: int, boost: float
    ) -> tuple[list[tuple[Any, ...]], int, int] | None:
        """The pool's postings ``(fieldname, tbytes, docnum, weight, vbytes)`` of one field of a
        document, its length (positions) and the bytes of values not shared; None when the
        analyzer cannot give positions directly (then ``word_values`` serves)."""
        index_positions = getattr(analyzer, "index_positions", None)
        if index_positions is None or not isinstance(value, str):
            return None
        fb, tb = self.field_boost, _term_bytes
        items: list[tuple[Any, ...]] = []
        length = size = 0
        for term, poslist in index_positions(value).items():
            tbytes = tb.get(term)
            if tbytes is None:
                if len(tb) >= _SHARED_LIMIT:
                    tb.clear()
                tbytes = tb[term] = term.encode("utf-8")
            n = len(poslist)
            length += n
            vbytes = _encode_positions(poslist)
            if n > 1:
                size += len(vbytes) + 33
            items.append((fieldname, tbytes, docnum, n * fb * boost, vbytes))
        return items, length, size

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        index_positions = getattr(analyzer, "index_positions", None)
        if index_positions is None or kwargs.keys() != {"mode"} or kwargs["mode"] != "index":
            yield from super().word_values(value, analyzer, **kwargs)
            return
        if not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        fb, encode = self.field_boost, self.encode
        for term, poslist in index_positions(value).items():
            yield (term, len(poslist), len(poslist) * fb, encode(poslist))


def _russian_text(**kwargs: Any) -> TEXT:
    field = TEXT(analyzer=russian_analyzer(), multitoken_query="or", **kwargs)
    field.format = LemmaPositions(field_boost=kwargs.get("field_boost", 1.0))
    return field


def build_schema() -> Schema:
    """A fresh schema (analyzers are pickled into the index with it)."""
    be, en = belarusian_analyzer(), english_analyzer()
    return Schema(
        doc_id=ID(stored=True, unique=True),  # str(store id): one term, not 16 numeric tiers
        url=ID(stored=True, unique=True),
        title=_russian_text(stored=True, field_boost=2.0),
        body=_russian_text(stored=True),
        title_be=TEXT(analyzer=be, field_boost=2.0, multitoken_query="or"),
        body_be=TEXT(analyzer=be, multitoken_query="or"),
        title_en=TEXT(analyzer=en, field_boost=2.0, multitoken_query="or"),
        body_en=TEXT(analyzer=en, multitoken_query="or"),
        published=ID(stored=True, sortable=True),
        site=ID(stored=True, sortable=True),
        lang=ID(stored=True, sortable=True),
        # What the document is (``core.enums.DocKind``): a page, or a file attached to one.
        kind=ID(stored=True, sortable=True),
        file_type=ID(stored=True),  # "pdf", "docx", ... for attachments
        parent_url=ID(stored=True),  # the article an attachment hangs under
        # Regions: lowercased for matching, case kept for facets and display.
        regions=KEYWORD(commas=True, lowercase=True, scorable=False),
        region_names=KEYWORD(commas=True, lowercase=False, stored=True, scorable=False),
        # Room for facts (filled by indexer.facts): fact types and person names of the document.
        fact_types=KEYWORD(commas=True, lowercase=True, scorable=False),
        persons=KEYWORD(commas=True, lowercase=True, scorable=False),
        version=STORED(),
    )


def document_fields(
    doc: Document, derived: Mapping[str, Sequence[str]] | None = None
) -> dict[str, Any]:
    """Keyword arguments of ``writer.update_document`` for one store document, with the index
    fields the derive stage gave it (``regions``, ``fact_types``, ``persons``)."""
    derived = derived or {}
    regions = tuple(derived.get("regions", ()))
    fact_types = tuple(derived.get("fact_types", ()))
    persons = tuple(derived.get("persons", ()))
    suffix = {"be": "_be", "en": "_en"}.get(doc.lang, "")
    fields: dict[str, Any] = {
        "doc_id": str(doc.id),
        "url": doc.url,
        "site": doc.site,
        "lang": doc.lang or "ru",
        "version": doc.version,
        "kind": str(doc.kind or "page"),
        f"title{suffix}": doc.title,
        f"body{suffix}": doc.body,
    }
    if suffix:  # the Russian fields index nothing but store the text shown in results
        fields.update(title="", body="", _stored_title=doc.title, _stored_body=doc.body)
    if doc.file_type:
        fields["file_type"] = doc.file_type
    if doc.parent_url:
        fields["parent_url"] = doc.parent_url
    if doc.published:
        fields["published"] = doc.published  # the year facet is read from its terms
    names = [r.replace(",", " ") for r in regions or doc.regions]
    if names:
        fields["regions"] = ",".join(names)
        fields["region_names"] = ",".join(names)
    if fact_types:
        fields["fact_types"] = ",".join(sorted(set(fact_types)))
    if persons:
        fields["persons"] = ",".join(p.replace(",", " ") for p in persons)
    return fields
