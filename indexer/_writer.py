"""``IndexWriter``: Whoosh's ``SegmentWriter``, with field lengths read once when a segment is flushed.

When a segment is flushed, Whoosh writes every posting with its document's field length, which it
reads from the segment's lengths column on disk: a seek and a read per posting (hundreds of thousands
for a few thousand documents). ``IndexWriter`` reads each field's lengths column once into a list
(one entry per document of the segment) and answers from it, with the same values; everything
else is ``SegmentWriter`` (but for ``compound=False``, see the class).
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

__all__ = ["IndexWriter"]


class _Lengths:
    """A segment's per-document reader whose ``doc_field_length`` answers from memory."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._tables: dict[str, list[int | None] | None] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)

    def _table(self, fieldname: str) -> list[int | None] | None:
        column = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return None
        return [byte_to_length(b) if b else None for b in column]

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        """The field length Whoosh's reader gives (None for an empty field, as it does)."""
        try:
            table = self._tables[fieldname]
        except KeyError:
            table = self._tables[fieldname] = self._table(fieldname)
        if table is None:
            return default
        return table[docnum]

    def close(self) -> None:
        self._reader.close()


class IndexWriter(SegmentWriter):  # type: ignore[misc]
    """``SegmentWriter`` whose flush reads field lengths from memory (see the module), writing
    plain segment files instead of one compound file: Whoosh opens a compound segment by copying
    each of its parts into memory (``BufferFile`` over a ``BytesIO``), which costs a searcher the
    whole segment's size in RAM and a cold ``vestnik search`` the time to copy it."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compound", False)
        super().__init__(ix, **kwargs)

    def per_document_reader(self) -> Any:
        return _Lengths(super().per_document_reader())
