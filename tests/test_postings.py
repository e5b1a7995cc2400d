"""Postings read by ``indexer._columns.Segment`` equal what Whoosh's own matcher gives (ids, weights,
values and positions of every term), read either way: from Whoosh's blocks (one read of a term's
extent, block pickles cut before their values) or from the segment's side postings file
(``indexer._postfile``), which a missing, cut or foreign file falls back from."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.formats import Positions

import indexer._columns as columns
import indexer._postfile as postfile
from core.enums import DocState
from core.records import Document, DocumentDraft
from corpus import SQLiteStore
from indexer import SearchIndex, SearchRequest, run_index
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


def _side_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*" + postfile.EXT))


@pytest.mark.parametrize("side", [False, True], ids=["whoosh-blocks", "side-file"])
@pytest.mark.parametrize("blocklimit", [4, 128])
def test_segment_postings_equal_whoosh_s_for_every_term(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blocklimit: int, side: bool
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
    (path,) = _side_files(tmp_path)
    if not side:
        path.unlink()
    checked = in_side = 0
    rng = np.random.default_rng(3)
    with ix.reader() as reader:
        (leaf, base), *_ = reader.leaf_readers()
        seg = Segment(leaf, base)
        assert (seg._side() is not None) == side
        cand = rng.random(seg.size) < 0.3
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
            if side and seg._side().get(field, bterm) is not None:  # type: ignore[union-attr]
                in_side += 1
            if has_values:  # a phrase's positions in candidate documents, as Whoosh decodes them
                ids, _, vals = _whoosh_postings(reader, field, term, True)
                want = [
                    (d, list(reader.schema[field].format.decode_positions(v)))
                    for d, v in zip(ids, vals, strict=True)
                    if cand[d]
                ]
                got_ids, lens, flat = seg.positions(field, term, cand)
                starts = np.cumsum(lens) - lens
                have = [
                    (int(d), flat[a : a + n].tolist())
                    for d, a, n in zip(got_ids, starts, lens, strict=True)
                ]
                assert have == want, (field, term)
    assert checked > 100
    assert in_side > 10 if side else in_side == 0
    if not side:
        assert any(cut) and not all(cut)  # blocks cut before their values, short blocks whole


def test_side_file_encodings_round_trip(tmp_path: Path) -> None:
    """Sparse ids (uint32) and dense ones (a bitmap), whole and fractional weights, positions past
    uint16 and counts past uint8; rare terms are left out."""
    enc = Positions().encode
    path = str(tmp_path / "MAIN_t.vpl")
    w = postfile.PostFileWriter(path, doc_count=1000)
    sparse = list(range(3, 1000, 20))  # 50 of 1,000: under one in 32
    dense = list(range(0, 1000, 3))
    w.add("body", b"sparse", sparse, [1.5] * len(sparse), [enc([70_000 + i]) for i in sparse])
    w.add("body", b"dense", dense, [300.0] * len(dense), [enc(list(range(300)))] * len(dense))
    w.add("site", b"mpt", dense, [1.0] * len(dense))
    w.add("body", b"rare", [5], [1.0], [enc([1])])
    w.close()
    f = postfile.PostFile.open(path, doc_count=1000)
    assert f is not None
    ids, weights = f.get("body", b"sparse")  # type: ignore[misc]
    assert ids.tolist() == sparse and weights.tolist() == [1.5] * len(sparse)
    ids, weights = f.get("body", b"dense")  # type: ignore[misc]
    assert ids.tolist() == dense and set(weights.tolist()) == {300.0}
    assert f.get("site", b"mpt")[0].tolist() == dense  # type: ignore[index]
    assert f.get("body", b"rare") is None and f.get("title", b"dense") is None
    cand = np.zeros(1000, dtype=bool)
    cand[[3, 23, 6, 7]] = True
    got_ids, lens, flat = f.positions("body", b"sparse", cand)  # type: ignore[misc]
    assert got_ids.tolist() == [3, 23] and lens.tolist() == [1, 1]
    assert flat.tolist() == [70_003, 70_023]
    got_ids, lens, flat = f.positions("body", b"dense", cand)  # type: ignore[misc]
    assert got_ids.tolist() == [3, 6] and lens.tolist() == [300, 300]
    assert flat.tolist() == list(range(300)) * 2
    assert f.positions("site", b"mpt", cand) is None  # no positions stored for a keyword


@pytest.mark.parametrize("damage", ["missing", "cut", "garbage", "other-segment-size"])
def test_a_damaged_side_file_falls_back_to_whoosh_s_postings(tmp_path: Path, damage: str) -> None:
    data = tmp_path / "data"
    with SQLiteStore.open(data) as store:
        for doc in _docs(400):
            store.save_document(
                DocumentDraft(url=doc.url, site=doc.site, title=doc.title, body=doc.body,
                              lang=doc.lang, published=doc.published)
            )  # fmt: skip
        run_index(store, data, facts=False)
    queries = ["соглашение", "курская область", '"курская область"', "визит OR ярмарка"]
    with SearchIndex.open(data) as index:
        assert index._current.segments[0]._side() is not None
        before = [_result(index, q) for q in queries]
    (path,) = _side_files(data / "index")
    raw = path.read_bytes()
    if damage == "missing":
        path.unlink()
    elif damage == "cut":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "garbage":
        path.write_bytes(raw[:-40] + b"x" * 40)
    else:
        path.write_bytes(raw[:-12] + (12345).to_bytes(8, "little") + raw[-4:])  # document count
    with SearchIndex.open(data) as index:
        assert index._current.segments[0]._side() is None
        assert [_result(index, q) for q in queries] == before
    assert before[0][0] > 0 and before[2][0] > 0


def _result(index: SearchIndex, q: str) -> tuple[Any, ...]:
    res = index.search(SearchRequest(q))
    return res.total, res.facets, [(h.url, h.score, h.snippet) for h in res.hits]


def test_merged_and_incremental_segments_get_side_files(tmp_path: Path) -> None:
    """A merge (Whoosh's ``add_reader``) writes its postings through the same pool, so the merged
    segment has its side file; files of merged-away segments are removed."""
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    docs = _docs(600)
    for start in range(0, 600, 60):
        writer = IndexWriter(ix)
        for doc in docs[start : start + 60]:
            writer.add_document(**document_fields(doc))
        writer.commit(optimize=start == 300)  # all merged into one, then more added
    segments = list(ix._segments())
    names = {s.make_filename(postfile.EXT) for s in segments}
    assert {p.name for p in _side_files(tmp_path)} == names
    assert not list(tmp_path.glob("*.tmp"))
    assert any(s.doc_count_all() > 60 for s in segments) and len(segments) > 1
    with ix.reader() as reader:
        for leaf, base in reader.leaf_readers():
            seg = Segment(leaf, base)
            assert seg._side() is not None
            terms = list(leaf.field_terms("body"))
            assert len(terms) > 10
            for term in terms:
                ids, weights, _ = _whoosh_postings(leaf, "body", term, False)
                got = seg.postings("body", term)
                assert got.ids.tolist() == ids and got.weights.tolist() == weights
