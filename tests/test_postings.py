"""Postings read by ``indexer._columns.Segment`` (one read of a term's extent, block pickles cut before
their values) equal what Whoosh's own matcher gives: ids, weights and values of every term."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec

import indexer._columns as columns
from core.enums import DocState
from core.records import Document
from indexer._columns import Segment
from indexer._schema import build_schema, document_fields
from indexer._writer import IndexWriter

WORDS = (
    "соглашение курская область делегация визит ярмарка губернатор минск торговля регион "
    "научно-технический 2023-2025 covid-19 сотрудничество"
).split()


def _docs(n: int) -> list[Document]:
    rng = random.Random(5)
    out = []
    for i in range(1, n + 1):
        lang = "be" if i % 17 == 0 else "ru"
        body = " ".join(rng.choices(WORDS, k=rng.randint(1, 40)))
        title = " ".join(rng.choices(WORDS, k=3))
        out.append(
            Document(id=i, url=f"http://t/{i}", site="mpt", lang=lang, title=title,
                     published=f"202{i % 5}-01-01", body=body, content_hash="", version=1,
                     state=DocState.OK, first_seen="", fetched_at="", changed_at="", seq=i)
        )  # fmt: skip
    return out


def _whoosh_postings(reader: Any, field: str, term: str, values: bool) -> tuple[Any, ...]:
    m = reader.postings(field, term)
    ids, weights, vals = [], [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        if values:
            vals.append(m.value())
        m.next()
    return ids, weights, (tuple(vals) if values else None)


@pytest.mark.parametrize("blocklimit", [4, 128])
def test_segment_postings_equal_whoosh_s_for_every_term(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blocklimit: int
) -> None:
    cut = []
    real = columns._ids_and_weights

    def counting(raw: bytes, count: int) -> tuple[Any, Any] | None:
        found = real(raw, count)
        cut.append(found is not None)
        return found

    monkeypatch.setattr(columns, "_ids_and_weights", counting)
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    writer = IndexWriter(ix, codec=W3Codec(blocklimit=blocklimit))
    for doc in _docs(300):
        writer.add_document(**document_fields(doc))
    writer.commit()
    checked = 0
    with ix.reader() as reader:
        (leaf, base), *_ = reader.leaf_readers()
        seg = Segment(leaf, base)
        for field, bterm in reader.all_terms():
            term = bterm.decode("utf-8") if isinstance(bterm, bytes) else bterm
            has_values = reader.schema[field].format.fixed_value_size() != 0
            for values in (False, True) if has_values else (False,):
                ids, weights, vals = _whoosh_postings(reader, field, term, values)
                got = seg.postings(field, term, values)
                assert got.ids.tolist() == ids, (field, term)
                assert got.ids.dtype == np.int64
                assert got.weights.tolist() == pytest.approx(weights), (field, term)
                assert got.values == vals, (field, term)
                checked += 1
    assert checked > 100
    assert any(cut) and not all(cut)  # blocks cut before their values, and short blocks whole
