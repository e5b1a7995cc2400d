"""The search UI's pages, run by ``streamlit.testing`` (AppTest) on a real store and index.

The store is filled from the demo site's article sources (state 1) plus one document made to
check escaping; the index and its facts are built by the real ``indexer.run_index``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from search_ui import SearchState, from_params, to_params

APP = str(Path(__file__).resolve().parents[1] / "search_ui" / "app.py")
EVIL_TITLE = 'Проверка <script>alert("title")</script> соглашения'
EVIL_BODY = (
    "Курская область подписала соглашение. Текст со вставкой <script>alert(1)</script> "
    "и <b>разметкой</b> должен показываться как текст.\n\nВторой абзац *не курсив*."
)


def _fill(data_dir: Path) -> int:
    from core.records import DocumentDraft
    from corpus import SQLiteStore
    from corpus._demo_gold import canonical_path, load_sites
    from indexer import run_index

    with SQLiteStore.open(data_dir) as store:
        for name, site in load_sites().items():
            for art in site.articles.values():
                if 1 not in art.states:
                    continue
                store.save_document(
                    DocumentDraft(
                        url=f"https://{name}.example.by{canonical_path(site, art)}",
                        site=name,
                        title=art.title,
                        body=art.body.strip(),
                        lang=art.lang,
                        published=art.published.strftime("%Y-%m-%dT%H:%M"),
                    )
                )
        evil = store.save_document(
            DocumentDraft(
                url="https://evil.example.by/ru/node/1",
                site="evil",
                title=EVIL_TITLE,
                body=EVIL_BODY,
                published="2024-05-05",
            )
        )
        run = store.start_run("crawl", "evil")
        store.record_error(run, "https://evil.example.by/x", "HTTP 500 <b>Ошибка</b>")
        store.finish_run(run, "ok", {"fetched": 3, "new": 1, "changed": 0, "failed": 1})
        run_index(store, data_dir)
        return evil.doc_id


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    data_dir = tmp_path_factory.mktemp("ui-data")
    evil = _fill(data_dir)
    old = os.environ.get("VESTNIK_DATA")
    os.environ["VESTNIK_DATA"] = str(data_dir)
    yield data_dir, evil
    if old is None:
        os.environ.pop("VESTNIK_DATA", None)
    else:
        os.environ["VESTNIK_DATA"] = old


def _app(params: dict[str, Any] | None = None, page: str = "") -> Any:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _html(at: Any) -> list[str]:
    return [str(el.proto.body) for el in at.get("html") if "<style>" not in el.proto.body]


def _texts(at: Any, kind: str) -> list[str]:
    return [str(el.value) for el in getattr(at, kind)]


def _query_params(at: Any) -> dict[str, Any]:
    return {k: at.query_params[k] for k in at.query_params}


# -- the URL state ------------------------------------------------------------------------------

STATES = [
    SearchState(),
    SearchState(query="соглашению курской области", sort="date", page=3),
    SearchState(since="2023-01-01", until="2023-12-31", site="mpt", lang="be", region="Минск"),
    SearchState(types=("agreement_count", "trade_change"), fact_region="Курская область", doc=7),
]


@pytest.mark.parametrize("state", STATES)
def test_state_round_trips_through_url_params(state: SearchState) -> None:
    assert from_params(to_params(state, keep_doc=True)) == state


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"p": "0", "sort": "best", "lang": "xx"}, SearchState()),
        ({"since": "2023-13-01", "until": "вчера"}, SearchState()),
        (
            {"type": ["agreement_count", "nope", "agreement_count"]},
            SearchState(types=("agreement_count",)),
        ),
        ({"q": "  курск  ", "doc": "12"}, SearchState(query="курск", doc=12)),
    ],
)
def test_malformed_url_params_fall_back_to_defaults(
    params: dict[str, Any], expected: SearchState
) -> None:
    assert from_params(params) == expected


def test_widgets_follow_the_url_and_write_it_back(data: tuple[Path, int]) -> None:
    at = _app({"q": "соглашение", "sort": "date", "site": "mpt"})
    assert at.text_input(key="w_query").value == "соглашение"
    assert at.radio(key="w_sort").value == "date"
    assert at.selectbox(key="w_site").value == "mpt"
    at.text_input(key="w_query").set_value("товарооборот").run()
    at.selectbox(key="w_site").set_value("").run()
    assert _query_params(at) == {"q": "товарооборот", "sort": "date"}


# -- search -------------------------------------------------------------------------------------


def test_search_finds_inflected_forms_and_highlights(data: tuple[Path, int]) -> None:
    at = _app({"q": "соглашению курской области"})
    found = [t for t in _texts(at, "markdown") if t.startswith("Найдено")]
    assert found and "**0**" not in found[0]
    hits = _html(at)
    assert hits and all("<mark>" in h for h in hits)
    links = [p.proto.label for p in at.get("page_link")]
    assert "Открыть документ" in links


def test_page_text_is_escaped(data: tuple[Path, int]) -> None:
    _, evil = data
    at = _app({"q": "скрипт OR разметкой OR alert", "site": "evil"})
    body = " ".join(_html(at))
    assert "&lt;script&gt;" in body
    assert "<script" not in body and "<b>" not in body
    doc = _app({"doc": str(evil), "q": "разметка"}, page="document")
    text = " ".join(_html(doc))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b&gt;<mark>разметкой</mark>&lt;/b&gt;" in text or "&lt;b&gt;разметкой" in text
    assert "<script" not in text and "<b>" not in text


def test_empty_query_lists_newest_documents(data: tuple[Path, int]) -> None:
    at = _app()
    assert any(t.startswith("Новые документы") for t in _texts(at, "markdown"))
    dates = [h.split('class="vn-meta">', 1)[1][:10] for h in _html(at)]
    iso = [d[6:10] + d[3:5] + d[0:2] for d in dates]
    assert len(iso) == 10 and iso == sorted(iso, reverse=True)


def test_pagination_moves_through_pages(data: tuple[Path, int]) -> None:
    at = _app()
    first = _html(at)
    forward = [b for b in at.button if b.label == "Вперёд →"]
    assert forward
    forward[0].click().run()
    assert at.query_params["p"] == "2"
    assert _html(at) != first


def test_malformed_query_shows_a_friendly_message(data: tuple[Path, int]) -> None:
    at = _app({"q": '"Курская область'})
    assert any("Не удалось разобрать запрос" in w for w in _texts(at, "warning"))


def test_no_results_suggests_a_spelling(data: tuple[Path, int]) -> None:
    at = _app({"q": "саглашение"})
    assert any("Ничего не найдено" in t for t in _texts(at, "info"))
    suggestion = at.button(key="w_suggestion")
    assert "соглашение" in suggestion.label
    suggestion.click().run()
    assert at.query_params["q"] == suggestion.label
    assert any(t.startswith("Найдено") for t in _texts(at, "markdown"))


def test_filters_show_counts(data: tuple[Path, int]) -> None:
    at = _app({"q": "соглашение"})
    site = at.selectbox(key="w_site")
    assert "mpt" in site.options[1] or any("mpt" in o for o in site.options)
    assert all("(" in o for o in site.options[1:])


# -- document -----------------------------------------------------------------------------------


def test_document_page_shows_text_metadata_and_facts(data: tuple[Path, int]) -> None:
    from corpus import SQLiteStore

    data_dir, _ = data
    with SQLiteStore.open(data_dir) as store:
        doc_id = next(r.doc_id for r in store.iter_facts() if r.fact.fact_type == "agreement_count")
        facts = store.facts_for_document(doc_id)
        doc = store.get_document(doc_id)
    assert doc is not None
    at = _app({"doc": str(doc_id), "q": "соглашениями"}, page="document")
    html = " ".join(_html(at))
    assert "<mark>" in html
    assert doc.url in html and "Последнее изменение" in html
    assert len(at.dataframe) >= 1 and len(at.dataframe[0].value) == len(facts)


def test_unknown_document_is_a_friendly_warning(data: tuple[Path, int]) -> None:
    at = _app({"doc": "999999"}, page="document")
    assert any("не найден" in w for w in _texts(at, "warning"))


# -- facts --------------------------------------------------------------------------------------


def _cli_facts(data_dir: Path, args: list[str], tmp_path: Path) -> bytes:
    from vestnik.cli import main

    out = tmp_path / "facts.csv"
    assert main(["facts", *args, "--data", str(data_dir), "--output", str(out)]) == 0
    return out.read_bytes()


FACT_STATES = [
    SearchState(query="соглашение"),
    SearchState(types=("agreement_count", "trade_change")),
    SearchState(query="область", site="mpt", fact_region="Курская область"),
    SearchState(since="2023-01-01", until="2023-12-31"),
    SearchState(query="сотрудничество", lang="ru", region="Курская область", fact_region="Минск"),
    SearchState(lang="be"),
]


@pytest.mark.parametrize("state", FACT_STATES)
def test_facts_download_equals_vestnik_facts(
    data: tuple[Path, int], tmp_path: Path, state: SearchState
) -> None:
    from corpus import SQLiteStore
    from indexer import SearchIndex
    from search_ui._facts_data import cli_command, fact_rows, facts_bytes

    data_dir, _ = data
    with SQLiteStore.open(data_dir) as store:
        rows = fact_rows(store, SearchIndex.open(data_dir), state)
    args = shlex.split(cli_command(state))[2:]  # the command the page shows
    assert facts_bytes(rows) == _cli_facts(data_dir, args, tmp_path)
    assert facts_bytes(rows, excel=True) == _cli_facts(data_dir, [*args, "--excel"], tmp_path)


def test_facts_command_spells_out_every_filter() -> None:
    from search_ui._facts_data import cli_command

    state = SearchState(
        query="соглашение", lang="be", region="Курская область", site="mpt",
        since="2023-01-01", types=("agreement_count",), fact_region="Минск",
    )  # fmt: skip
    assert shlex.split(cli_command(state)) == [
        "vestnik", "facts", 'соглашение lang:be region:"Курская область"',
        "--type", "agreement_count", "--since", "2023-01-01", "--site", "mpt", "--region", "Минск",
    ]  # fmt: skip


def test_facts_page_table_filters_and_charts(data: tuple[Path, int]) -> None:
    at = _app({"q": "соглашение"}, page="facts")
    assert at.title[0].value == "Факты"
    table = at.dataframe[0].value
    assert len(table) > 0 and list(table.columns)[:2] == ["fact_type", "value"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Скачать CSV", "Скачать CSV для Excel"]
    at.multiselect(key="w_types").set_value(["agreement_count"]).run()
    assert at.query_params["type"] == "agreement_count"
    narrowed = at.dataframe[0].value
    assert set(narrowed["fact_type"]) == {"число соглашений"}
    assert len(at.get("vega_lite_chart")) >= 1


# -- status -------------------------------------------------------------------------------------


def test_status_page_shows_sites_runs_and_errors(data: tuple[Path, int]) -> None:
    at = _app(page="status")
    sites, runs, errors = (at.dataframe[i].value for i in range(3))
    assert {"mpt", "vitebsk", "evil"} <= set(sites["Сайт"])
    assert list(runs.columns)[:5] == ["Запуск", "Вид", "Начало", "Окончание", "Статус"]
    assert "HTTP 500 <b>Ошибка</b>" in list(errors["Ошибка"])  # a dataframe cell: shown as text
    assert any("Расписание не запущено" in t for t in _texts(at, "markdown"))
    assert not at.button[0].disabled


def test_status_page_shows_a_running_update_and_blocks_a_second(data: tuple[Path, int]) -> None:
    import ops as operations

    data_dir, _ = data
    status = {
        "state": "running", "phase": "crawl", "run_id": 99, "pid": os.getpid(),
        "started_at": "2024-05-05T10:00:00+00:00", "finished_at": "", "message": "",
        "counters": {"fetched": 12, "new": 3},
    }  # fmt: skip
    (data_dir / "update-status.json").write_text(json.dumps(status), encoding="utf-8")
    try:
        with operations.update_lock(data_dir):
            at = _app(page="status")
            update = next(b for b in at.button if b.label == "Обновить сейчас")
            assert update.disabled
            assert operations.start_update_background(data_dir) is False
            boxes = at.status
            assert boxes and boxes[0].label == "Идёт обновление: сбор страниц"
            assert boxes[0].icon == "spinner"
    finally:
        (data_dir / "update-status.json").unlink()


def test_status_page_shows_the_next_scheduled_run(data: tuple[Path, int]) -> None:
    import ops as operations

    data_dir, _ = data
    operations.write_schedule(data_dir, "every 6h", "2030-01-02T03:04:00+00:00")
    try:
        at = _app(page="status")
        assert any("02.01.2030 03:04" in t for t in _texts(at, "markdown"))
    finally:
        (data_dir / "schedule.json").unlink()


def test_ui_command_runs_streamlit_headless() -> None:
    from vestnik._cmd_ui import app_path, streamlit_command

    cmd = streamlit_command(8765)
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4] == str(app_path())
    assert app_path().is_file()
    joined = " ".join(cmd)
    assert "--server.headless true" in joined and "--server.port 8765" in joined
    assert "--browser.gatherUsageStats false" in joined
    assert "--server.address 127.0.0.1" in joined  # local only by default


def test_facts_csv_is_parsable(data: tuple[Path, int]) -> None:
    from corpus import SQLiteStore
    from search_ui._facts_data import fact_rows, facts_bytes

    data_dir, _ = data
    with SQLiteStore.open(data_dir) as store:
        rows = fact_rows(store, None, SearchState())
    parsed = list(csv.reader(io.StringIO(facts_bytes(rows).decode("utf-8"))))
    assert len(parsed) == len(rows) + 1
