"""The analyzers: tokens, lemmas, positions, languages, pickling into a schema."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import QueryParser

from indexer import LemmaFilter, analyzer_for, russian_analyzer


def _texts(text: str, lang: str = "ru", mode: str = "query") -> list[str]:
    return [t.text for t in analyzer_for(lang)(text, mode=mode)]


def _by_position(text: str, mode: str = "index") -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for t in russian_analyzer()(text, positions=True, mode=mode):
        out.setdefault(t.pos, set()).add(t.text)
    return out


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("научно-технический", "научно-технический"),
        ("торгово-экономического сотрудничества", "торгово-экономический"),
        ("Минск-Брест", "минск-брест"),
        ("COVID-19", "covid-19"),
        ("Кирилл-Мефодиевские чтения", "кирилл-мефодиевский"),
    ],
)
def test_hyphenated_words_stay_one_token(text: str, token: str) -> None:
    assert _texts(text)[0] == token


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("научно-технический", {"научно-технический", "научный", "технический"}),
        ("2023-2025", {"2023-2025", "2023", "2025"}),
    ],
)
def test_hyphen_parts_are_indexed_at_the_same_position(text: str, parts: set[str]) -> None:
    assert parts <= _by_position(text)[0]


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("план на 2023-2025 годы", ["план", "2023-2025", "год"]),
        ("рост на 12,5 процента", ["рост", "12,5", "процент"]),
        ("в 2023–2025 годах", ["2023–2025", "год"]),
        ("до 09.01.2023", ["09.01.2023"]),
        ("5 соглашений", ["5", "соглашение"]),
        ("1,5 млрд долларов", ["1,5", "млрд", "доллар"]),
    ],
)
def test_numbers_and_ranges(text: str, tokens: list[str]) -> None:
    assert _texts(text) == tokens


@pytest.mark.parametrize(
    ("text", "token"),
    [("РФ", "рф"), ("ТПП", "тпп"), ("ЕАЭС", "еаэс"), ("СНГ", "снг"), ("ОАО", "оао")],
)
def test_abbreviations_are_kept(text: str, token: str) -> None:
    assert token in _texts(text)


@pytest.mark.parametrize(
    ("yo", "ye"),
    [("объём", "объем"), ("Пётр", "Петр"), ("учёных", "ученых"), ("Могилёвской", "Могилевской")],
)
def test_yo_and_ye_are_one_letter(yo: str, ye: str) -> None:
    assert _texts(yo) == _texts(ye)
    assert "ё" not in "".join(_texts(yo))


@pytest.mark.parametrize(
    ("form", "lemmas"),
    [
        ("Минском", {"минск", "минский"}),
        ("стали", {"сталь", "стать"}),
        ("Курской", {"курский"}),
        ("области", {"область"}),
        ("соглашений", {"соглашение"}),
    ],
)
def test_each_lemma_of_an_ambiguous_form_at_one_position(form: str, lemmas: set[str]) -> None:
    positions = _by_position(f"встреча {form}")
    assert lemmas <= positions[1]
    assert set(positions) == {0, 1}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("соглашению курской области", "соглашений с Курской областью"),
        ("Брянской области", "Брянская область"),
        ("делегаций", "делегация"),
        ("подписали", "подписано"),
    ],
)
def test_forms_meet_in_lemmas(a: str, b: str) -> None:
    indexed = set(_texts(b, mode="index"))
    for lemmas in _by_position(a, mode="query").values():
        assert lemmas & indexed


@pytest.mark.parametrize("word", ["и", "в", "на", "с", "не", "для", "the", "і", "ў"])
def test_stop_words_are_dropped(word: str) -> None:
    assert _texts(f"{word} сотрудничество") == ["сотрудничество"]


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Мінскі аблвыканкам", ["мінскі", "аблвыканкам"]),
        ("Віцебская вобласць і Смаленская", ["віцебская", "вобласць", "смаленская"]),
        ("з'езд прадпрыемстваў", ["з'езд", "прадпрыемстваў"]),
    ],
)
def test_belarusian_is_not_lemmatized(text: str, tokens: list[str]) -> None:
    assert _texts(text, lang="be") == tokens


@pytest.mark.parametrize(
    ("text", "tokens"),
    [("Trade agreements signed", ["trade", "agreement", "sign"]), ("the Republic", ["republ"])],
)
def test_english_is_stemmed_not_lemmatized(text: str, tokens: list[str]) -> None:
    assert _texts(text, lang="en") == tokens


def test_lemma_filter_is_morph_and_skipped_with_no_morph() -> None:
    assert LemmaFilter.is_morph is True
    assert [t.text for t in russian_analyzer()("Областями", no_morph=True)] == ["областями"]


def test_lemma_filter_pickles_without_pymorphy() -> None:
    lf = LemmaFilter(cachesize=10)
    lf.lemmas("области")
    state = lf.__getstate__()
    assert state == {"cachesize": 10}
    assert pickle.loads(pickle.dumps(lf)) == lf


def test_bounded_cache_is_cleared_when_full() -> None:
    lf = LemmaFilter(cachesize=3)
    lf.clear()
    for form in ["области", "областью", "области", "курской", "брянской", "смоленской"]:
        lf.lemmas(form)
    assert len(lf._cache) <= 3
    lf.clear()


def test_analyzer_pickled_into_a_schema_and_reopened(tmp_path: Path) -> None:
    schema = Schema(id=ID(stored=True), body=TEXT(analyzer=russian_analyzer()))
    ix = whoosh_index.create_in(str(tmp_path), schema)
    with ix.writer() as w:
        w.add_document(id="1", body="Делегация посетила Курскую область")
        w.add_document(id="2", body="Ярмарка в Минском районе")
    ix.close()
    reopened = whoosh_index.open_dir(str(tmp_path))
    with reopened.searcher() as s:
        q = QueryParser("body", reopened.schema).parse("области")
        assert [hit["id"] for hit in s.search(q)] == ["1"]
        q = QueryParser("body", reopened.schema).parse("Минск")
        assert [hit["id"] for hit in s.search(q)] == ["2"]
    reopened.close()


@pytest.mark.parametrize(
    "text",
    [
        "И в 2023-2025 годах научно-технический COVID-19 з'езд, Ёлка и ёж; РФ 12,5 стали Минском",
        "и в на",
        "В соглашение с Курской областью: 5 соглашений, 09.01.2023, 1,5-2,0 млн.",
        "",
    ],
)
def test_indexing_fast_path_gives_the_chain_s_tokens(text: str) -> None:
    from whoosh.analysis import CompositeAnalyzer

    analyzer = russian_analyzer()
    for _ in range(2):  # the second time from the analyzer's cache
        fast = [(t.text, t.pos) for t in analyzer(text, positions=True, boosts=True, mode="index")]
        chain = CompositeAnalyzer.__call__(
            analyzer, text, positions=True, boosts=True, mode="index"
        )
        assert fast == [(t.text, t.pos) for t in chain]


def test_body_field_postings_equal_whoosh_positions_format() -> None:
    from whoosh.formats import Positions

    from indexer import build_schema

    field = build_schema()["body"]
    text = "Курской области и Курскую область: научно-техническое соглашение 2023-2025, стали."
    fast = sorted(field.index(text))
    plain = sorted(Positions.word_values(field.format, text, field.analyzer, mode="index"))
    assert fast == [(term.encode("utf-8"), *rest) for term, *rest in plain]
