"""Generated queries (hypothesis): the parser, the search API and ``vestnik search`` give results or
one clear ``QueryError`` line, whatever the string (unbalanced quotes and parentheses, lone
operators, control and bidi characters, long strings). Time is bounded by pytest-timeout, not
asserted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import QueryError
from core.records import DocumentDraft
from corpus import SQLiteStore
from indexer import SearchIndex, SearchRequest, run_index
from indexer._qtree import MAX_QUERY_CHARS, Node, parse
from vestnik.cli import main

PIECES = [
    "соглашение", "Курской", "области", "ярмарка", "Минск", "2023-2025", "цифров*", "*", "?",
    '"', "(", ")", "AND", "OR", "NOT", "И", "ИЛИ", "НЕ", "и", "не", "title:", "site:", "region:",
    "дата:", "автор:", ":", "-", "\\", "\x00", "\x1b", "\u202e", "\u2066", "\u200f", "\ufeff",
    "\u00a0", "ё", "Ё", "ъ", "\n", "\t", "https://e.by/a", "é", "日本",
]  # fmt: skip
SPACES = st.sampled_from([" ", "", "  ", "\t"])
QUERIES = st.one_of(
    st.lists(st.tuples(st.sampled_from(PIECES), SPACES), max_size=40).map(
        lambda parts: "".join(p + s for p, s in parts)
    ),
    st.text(max_size=200),
    st.text(alphabet='аб"() ORNT*:', min_size=MAX_QUERY_CHARS - 5, max_size=MAX_QUERY_CHARS + 5),
)
SETTINGS = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("fuzz")
    with SQLiteStore.open(root) as store:
        for i, body in enumerate(
            ["Соглашение с Курской областью подписано.", "Ярмарка в Минске: 2023-2025 годы."]
        ):
            store.save_document(
                DocumentDraft(url=f"http://f.test/{i}", site="f", title=f"Новость {i}", body=body)
            )
        run_index(store, root)
    yield root


@SETTINGS
@given(text=QUERIES)
def test_the_parser_gives_a_tree_or_one_query_error(text: str) -> None:
    try:
        tree = parse(text)
    except QueryError as exc:
        assert "\n" not in str(exc) and str(exc)
        return
    assert isinstance(tree, Node)  # type: ignore[misc,arg-type]


@settings(SETTINGS, max_examples=150, suppress_health_check=list(HealthCheck))
@given(text=QUERIES)
def test_the_search_api_gives_results_or_one_query_error(data: Path, text: str) -> None:
    with SearchIndex.open(data) as index:
        try:
            res = index.search(SearchRequest(text))
        except QueryError as exc:
            assert "\n" not in str(exc)
            return
    assert res.total >= len(res.hits)
    assert sum(n for _, n in res.facets["site"]) == res.total


@pytest.mark.timeout(300)
@settings(SETTINGS, max_examples=60, suppress_health_check=list(HealthCheck))
@given(text=QUERIES)
def test_vestnik_search_exits_0_or_1_with_one_line(
    data: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if text.startswith("-"):
        text = " " + text  # an option to argparse, not a query (exit 2 is tested elsewhere)
    code = main(["search", text, "--data", str(data)])
    err = capsys.readouterr().err
    assert code in (0, 1)
    assert "Traceback" not in err and "unexpected error" not in err
    assert err.count("\n") == (1 if code else 0)
