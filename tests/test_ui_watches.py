"""The UI's «Подписки» page, «Сохранить поиск», and its answers to bad URL parameters (AppTest on a
copy of the demo data with saved searches: tests/_watch_demo.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus import SQLiteStore
from search_ui import from_params
from search_ui._state import bad_params
from tests._watch_demo import SEARCHES, WatchDemo, copy_of, session_demo

APP = str(Path(__file__).resolve().parents[1] / "search_ui" / "app.py")


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[WatchDemo]:
    own = copy_of(session_demo(tmp_path_factory), tmp_path)
    old = os.environ.get("VESTNIK_DATA")
    os.environ["VESTNIK_DATA"] = str(own.data)
    yield own
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


def _texts(at: Any, kind: str) -> list[str]:
    return [str(el.value) for el in getattr(at, kind)]


def _html(at: Any) -> list[str]:
    return [str(el.proto.body) for el in at.get("html") if "<style>" not in el.proto.body]


def test_subscriptions_list_new_counts_and_one_click_shows_them(demo: WatchDemo) -> None:
    at = _app(page="watches")
    labels = {b.label for b in at.button}
    for name, (_, _, expected) in SEARCHES.items():
        assert (f"Показать новые ({len(expected)})" if expected else "Показать") in labels, name
    show = next(b for b in at.button if b.key == "w_show_" + str(_id(demo, "форум")))
    show.click().run()
    assert at.query_params["watch"] == "форум"
    items = [h for h in _html(at) if "vn-hit-title" in h]
    assert len(items) == 2 and all("vn-new" in h for h in items)
    assert any("Форуме регионов" in h for h in items)
    assert any("документ изменён" in h for h in items) and any("новый документ" in h for h in items)
    assert any("feed.atom" in c for c in _texts(at, "caption"))
    # the visit marked them seen: the next visit shows no new items for this search
    with SQLiteStore.open(demo.data) as store:
        seen = store.get_watch("форум")
        assert seen is not None and seen.unseen == 0 and seen.items == 2
    again = _app({"watch": "форум"}, page="watches")
    assert not any("vn-new" in h for h in _html(again) if "vn-hit-title" in h)
    assert "Показать новые (2)" not in {b.label for b in again.button}


def _id(demo: WatchDemo, name: str) -> int:
    with SQLiteStore.open(demo.data) as store:
        search = store.get_watch(name)
        assert search is not None
        return search.id


def test_save_the_current_search(demo: WatchDemo) -> None:
    at = _app({"q": "экспорт", "site": "vitebsk", "since": "2024-01-01"})
    at.text_input(key="w_watch_name").set_value("Витебск — экспорт").run()
    at.button(key="w_watch_save").click().run()
    assert any("сохранена" in s for s in _texts(at, "success"))
    with SQLiteStore.open(demo.data) as store:
        saved = store.get_watch("Витебск — экспорт")
        assert saved is not None
        assert (saved.query, saved.site, saved.since, saved.items) == (
            "экспорт",
            "vitebsk",
            "2024-01-01",
            0,
        )
    again = _app({"q": "экспорт"})
    again.text_input(key="w_watch_name").set_value("Витебск — экспорт").run()
    again.button(key="w_watch_save").click().run()
    assert any("уже есть" in w for w in _texts(again, "warning"))
    bad = _app({"q": "экспорт"})
    bad.text_input(key="w_watch_name").set_value("<script>").run()
    bad.button(key="w_watch_save").click().run()
    assert any("Название подписки" in w for w in _texts(bad, "warning"))


def test_unknown_subscription_is_a_message(demo: WatchDemo) -> None:
    at = _app({"watch": "<img src=x onerror=alert(1)>"}, page="watches")
    assert any("Такой подписки нет" in w for w in _texts(at, "warning"))


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"doc": "99999999999999999999999"}, ["doc"]),
        ({"doc": "-5", "p": "0"}, ["p", "doc"]),
        ({"p": "１２", "since": "2024-02-30", "until": "вчера"}, ["since", "until", "p"]),
        (
            {"lang": "<script>", "sort": "random", "type": ["agreement_count", "x"]},
            ["lang", "sort", "type"],
        ),
        ({"q": "я" * 1001}, ["q"]),
        ({"site": "s" * 201, "region": "Курская область"}, ["site"]),
        ({"q": "соглашение", "p": "2", "doc": "3", "since": "2023-01-01"}, []),
    ],
)
def test_bad_url_parameters(params: dict[str, Any], bad: list[str]) -> None:
    assert bad_params(params) == bad
    state = from_params(params)
    assert state.doc < 2**63 and state.page < 10**5 and len(state.query) <= 1000


@pytest.mark.parametrize("page", ["", "document", "facts", "watches", "status"])
def test_every_page_answers_bad_parameters_with_one_message(demo: WatchDemo, page: str) -> None:
    params = {"doc": "99999999999999999999999", "p": "-1", "since": "2024-13-45", "q": "я" * 2000}
    at = _app(params, page=page)
    warnings = [w for w in _texts(at, "warning") if w.startswith("В адресе страницы")]
    assert len(warnings) == 1 and "«doc»" in warnings[0] and "«q»" in warnings[0]
    assert not at.error or all("Traceback" not in str(e.value) for e in at.error)
