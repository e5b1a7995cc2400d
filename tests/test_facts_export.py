"""CSV/JSON export of facts (write_facts) and the ``vestnik facts`` / ``vestnik extract`` commands."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.records import DocumentDraft, Fact, FactRow
from corpus import SQLiteStore
from indexer.facts import FACT_COLUMNS, extract_facts, fact_to_dict, write_facts
from vestnik.cli import main

HEADER = (
    "fact_type,value,qualifier,object,counterpart_value,counterpart_object,regions,persons,"
    "date,sentence,doc_url,doc_title,published,site"
)


def _row(**values: object) -> FactRow:
    fact = Fact(**{"fact_type": "agreement_count", **values})  # type: ignore[arg-type]
    return FactRow(fact, 1, "https://h/a", "Заголовок", "2023-01-09", "mpt")


def test_columns_in_order() -> None:
    assert ",".join(FACT_COLUMNS) == HEADER
    assert tuple(fact_to_dict(_row())) == FACT_COLUMNS


def test_csv_header_and_rfc4180_quoting() -> None:
    out = io.StringIO()
    sentence = 'Сказал: "81 соглашение, 73 региона"\nи ещё'
    row = _row(value="81", regions=("Курская область", "Минск"), sentence=sentence)
    assert write_facts([row], out) == 1
    text = out.getvalue()
    assert text.startswith(HEADER + "\r\n")
    assert '"Сказал: ""81 соглашение, 73 региона""\nи ещё"' in text
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[1][1] == "81"
    assert parsed[1][6] == "Курская область;Минск"
    assert parsed[1][9] == sentence


def test_excel_bom_and_semicolons() -> None:
    out = io.BytesIO()
    write_facts([_row(value="12.5", object="соглашение")], out, excel=True)
    raw = out.getvalue()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0] == HEADER.replace(",", ";")
    assert lines[1].split(";")[:4] == ["agreement_count", "12.5", "", "соглашение"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+7 999", "'+7 999"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("  =1+1", "'  =1+1"),  # blanks before the formula
        ("\u00a0@x", "'\u00a0@x"),
        (" \t-x", "' \t-x"),
        ("-12.5", "-12.5"),  # a plain number is no formula, in any column
        ("обычный текст", "обычный текст"),
        ("a=b", "a=b"),
    ],
)
def test_formula_cells_are_neutralized(cell: str, expected: str) -> None:
    out = io.StringIO()
    write_facts([_row(object=cell, sentence=cell)], out)
    row = list(csv.reader(io.StringIO(out.getvalue())))[1]
    assert (row[3], row[9]) == (expected, expected)


def test_negative_numbers_stay_numeric() -> None:
    out = io.StringIO()
    write_facts([_row(fact_type="trade_change", value="-3.4", qualifier="-x")], out)
    row = list(csv.reader(io.StringIO(out.getvalue())))[1]
    assert (row[1], row[2]) == ("-3.4", "'-x")


def test_json_format() -> None:
    out = io.StringIO()
    assert write_facts([_row(value="81"), _row(value="5")], out, fmt="json") == 2
    data = json.loads(out.getvalue())
    assert [d["value"] for d in data] == ["81", "5"]
    assert list(data[0]) == list(FACT_COLUMNS)
    empty = io.StringIO()
    write_facts([], empty, fmt="json")
    assert json.loads(empty.getvalue()) == []


def test_streams_a_generator_of_100k_rows() -> None:
    made = 0

    def rows() -> Iterator[FactRow]:
        nonlocal made
        for i in range(100_000):
            made += 1
            yield _row(value=str(i))

    class Sink(io.StringIO):
        """Counts rows written while the generator is still running."""

        def __init__(self) -> None:
            super().__init__()
            self.max_lag = 0
            self.lines = 0

        def write(self, s: str) -> int:
            self.lines += s.count("\r\n")
            self.max_lag = max(self.max_lag, made - self.lines)
            return len(s)

    sink = Sink()
    assert write_facts(rows(), sink) == 100_000
    assert sink.max_lag <= 1  # each row is written before the next is made


BODY = (
    "Сегодня действует 81 соглашение с 73 российскими регионами.\n\n"
    "Рост товарооборота с Курской областью по итогам 2022 года составил более 190 процентов.\n\n"
    "Визит возглавил губернатор Курской области Роман Старовойт."
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    with SQLiteStore.open(tmp_path) as store:
        for n, (site, published) in enumerate([("mpt", "2023-01-09"), ("oblast", "2021-05-01")]):
            draft = DocumentDraft(
                url=f"https://{site}.example/node/{n}", site=site, title=f"Новость {n}",
                body=BODY, published=published,
            )  # fmt: skip
            saved = store.save_document(draft)
            result = extract_facts(draft.title, draft.body)
            store.replace_facts(saved.doc_id, saved.version, result.facts)
            store.set_regions(saved.doc_id, result.regions)
    return tmp_path


def test_cli_facts_csv_to_file(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    assert main(["facts", "--data", str(data_dir), "--output", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert len(rows) == 8  # per document: agreement, partner (73 регион), trade, person
    assert rows[0]["doc_url"] == "https://mpt.example/node/0"
    types = {r["fact_type"] for r in rows}
    assert types == {"agreement_count", "partner_count", "trade_change", "person_role"}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_cli_facts_filters_and_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["facts", "--data", str(data_dir), "--type", "trade_change", "--site", "oblast"]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(d["value"], d["qualifier"], d["site"]) for d in data] == [("190", "более", "oblast")]
    assert main(["facts", "--data", str(data_dir), "--since", "2022-01-01",
                 "--region", "Курская область", "--format", "json"]) == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert {d["published"] for d in data} == {"2023-01-09"}
    assert {d["fact_type"] for d in data} == {"trade_change", "person_role"}


def test_cli_facts_excel(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "excel.csv"
    assert main(["facts", "--data", str(data_dir), "--excel", "--output", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf" + HEADER.replace(",", ";").encode())


def test_cli_extract_json_and_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Курская делегация</title></head><body><article>"
        f"<h1>Курская делегация</h1>{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    assert main(["extract", str(page), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert list(doc) == ["url", "title", "published", "lang", "body", "regions", "persons", "facts"]
    assert doc["regions"] == ["Курская область"]
    assert doc["persons"] == [{"name": "Роман Старовойт", "role": "губернатор Курской области"}]
    first = doc["facts"][0]
    assert list(first) == [*FACT_COLUMNS, "rule"]
    assert (first["value"], first["counterpart_value"], first["rule"]) == (
        "81",
        "73",
        "count_with_partner",
    )
    assert main(["extract", str(page), "--format", "text"]) == 0
    assert "(rule count_with_partner)" in capsys.readouterr().out
