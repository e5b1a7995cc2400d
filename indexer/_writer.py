"""``IndexWriter``: Whoosh's ``SegmentWriter`` with a leaner path from a document to its segment.

Whoosh's writer costs Python work per posting, several times over: ``add_document`` passes each
posting through a generator and a ``PostingPool.add`` call (type assertions, a size sum); the pool
spills and reads back one ``marshal`` call per posting; and the flush writes posting by posting,
each with its document's field length read from the lengths column on disk (a seek and a read).
``IndexWriter`` writes the same segment (same postings, blocks and statistics) in bulk:

- a field whose format offers ``posting_items`` (``LemmaPositions``) hands the pool a document's
  postings as one list (term bytes and one-position values shared, so a posting is little more
  than its tuple); other fields take Whoosh's own path;
- the pool (``indexer._pool.Pool``) spills and merges in chunks grouped by term, and the flush
  writes a term's postings a block at a time (``write_term_groups``);
- field lengths are read once per field into memory when the segment is flushed;
- beside the segment, each frequent term's ids and weights go to its side postings file
  (``indexer._postfile``), which the searcher reads without Whoosh's block decoding.

Everything else is ``SegmentWriter`` (but for ``compound=False``, see the class).
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3FieldWriter, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from indexer._pool import Pool, write_term_groups
from indexer._postfile import PostFileWriter, side_path

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

    def table(self, fieldname: str) -> list[int | None] | None:
        """The field's length per document (None: an empty field), or None without a column."""
        try:
            return self._tables[fieldname]
        except KeyError:
            found = self._tables[fieldname] = self._table(fieldname)
            return found

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        """The field length Whoosh's reader gives (None for an empty field, as it does)."""
        table = self.table(fieldname)
        if table is None:
            return default
        return table[docnum]

    def close(self) -> None:
        self._reader.close()


class IndexWriter(SegmentWriter):  # type: ignore[misc]
    """``SegmentWriter`` with the bulk paths above, writing plain segment files instead of one
    compound file: Whoosh opens a compound segment by copying each of its parts into memory
    (``BufferFile`` over a ``BytesIO``), which costs a searcher the whole segment's size in RAM and
    a cold ``vestnik search`` the time to copy it."""

    pool: Pool

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compound", False)
        super().__init__(ix, **kwargs)
        self.pool = Pool(self._tempstorage, self.newsegment, limitmb=self.pool.limit >> 20)
        self._plain = not any(f.separate_spelling() or f.vector for _, f in self.schema.items())

    def per_document_reader(self) -> Any:
        return _Lengths(super().per_document_reader())

    def _flush_segment(self) -> None:
        """Whoosh's flush, writing the pool's postings a term block at a time."""
        if type(self.fieldwriter) is not W3FieldWriter:
            super()._flush_segment()
            return
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        side = self._side_postings()
        try:
            write_term_groups(self.fieldwriter, self.schema, lengths, self.pool.term_groups(), side)
            self.fieldwriter.close()
            if side is not None:
                side.close()
        except BaseException:
            if side is not None:
                side.cancel()
            raise
        if lengths is not None:
            lengths.close()

    def _side_postings(self) -> PostFileWriter | None:
        """The new segment's side postings file (``indexer._postfile``), on a folder storage."""
        path = side_path(self.storage, self.newsegment)
        return PostFileWriter(path, self.docnum) if path else None

    def add_document(self, **fields: Any) -> None:
        """Whoosh's ``add_document``, a field's postings added as one list where its format can."""
        if not self._plain:
            super().add_document(**fields)
            return
        self._check_state()
        perdocwriter, schema, docnum = self.perdocwriter, self.schema, self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    length = self._index_field(fieldname, field, value, docnum, boost)
                stored = fields.get("_stored_" + fieldname, value)
                perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
                column = field.column_type
                if column and stored is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(stored))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _index_field(
        self, fieldname: str, field: Any, value: Any, docnum: int, boost: float
    ) -> int:
        """Add one field's postings to the pool; the field's length (0 if not scorable)."""
        bulk = getattr(field.format, "posting_items", None)
        found = bulk(fieldname, value, field.analyzer, docnum, boost) if bulk else None
        if found is not None:
            items, length, size = found
            self.pool.add_items(items, size)
            return length if field.scorable else 0
        length = 0
        add = self.pool.add
        for tbytes, freq, weight, vbytes in field.index(value):
            length += freq
            add((fieldname, tbytes, docnum, weight * boost, vbytes))
        return length if field.scorable else 0
