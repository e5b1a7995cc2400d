"""The «Регион» page and collapsed story clusters in the UI, run by AppTest on a real store and
index built from the demo sources (three sites) and clustered by ``update_clusters``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

APP = str(Path(__file__).resolve().parents[1] / "search_ui" / "app.py")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from core.records import DocumentDraft
    from corpus import SQLiteStore
    from corpus._demo_gold import body_text, canonical_path, load_sites
    from indexer import run_index
    from indexer.clusters import update_clusters

    data_dir = tmp_path_factory.mktemp("ui-region")
    with SQLiteStore.open(data_dir) as store:
        for name, site in load_sites().items():
            for art in site.articles.values():
                if 1 in art.states:
                    store.save_document(
                        DocumentDraft(
                            url=f"https://{name}.example.by{canonical_path(site, art)}",
                            site=name,
                            title=art.title,
                            body=body_text(art.body),
                            lang=art.lang,
                            published=art.published.strftime("%Y-%m-%dT%H:%M"),
                        )  # fmt: skip
                    )
        run_index(store, data_dir)
        update_clusters(store)
    old = os.environ.get("VESTNIK_DATA")
    os.environ["VESTNIK_DATA"] = str(data_dir)
    yield data_dir
    if old is None:
        os.environ.pop("VESTNIK_DATA", None)
    else:
        os.environ["VESTNIK_DATA"] = old


def _app(params: dict[str, str], page: str = "") -> Any:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _html(at: Any) -> list[str]:
    return [str(el.proto.body) for el in at.get("html") if "<style>" not in el.proto.body]


def test_search_collapses_copies_into_one_story(data: Path) -> None:
    at = _app({"q": "журавлёвым"})  # named in vitebsk:509 and in its agency rewrite only
    story = [h for h in _html(at) if 'class="vn-hit"' in h]
    assert len(story) == 1
    assert "/ru/novosti/2022/509/" in story[0] or "/news/2022/07/15/7009.html" in story[0]
    assert "также: " in story[0] and ("agency" in story[0] or "vitebsk" in story[0])
    assert any(e.label.startswith("Все копии сюжета (2)") for e in at.expander)
    found = [m.value for m in at.markdown if m.value.startswith("Найдено")]
    assert found and "сюжет" in found[0] and "документов" in found[0]


def test_region_labels_link_to_the_region_page(data: Path) -> None:
    at = _app({"q": "курской области"})
    body = " ".join(_html(at))
    assert 'href="region?r=%D0%9A%D1%83%D1%80%D1%81%D0%BA%D0%B0%D1%8F%20' in body  # Курская …


def test_region_page_resolves_any_form_and_shows_the_dossier(data: Path) -> None:
    from corpus import SQLiteStore
    from indexer.dossier import build_dossier

    at = _app({"r": "курской"}, page="region")
    assert [h.value for h in at.header] == ["Курская область"]
    assert at.query_params["r"] == "Курская область"
    charts = list(at.get("vega_lite_chart"))
    assert len(charts) >= 2  # documents by month, trade changes (one chart per unit)
    tables = at.dataframe
    with SQLiteStore.open(data) as store:
        d = build_dossier(store, "Курская область")
    assert d.trade and d.agreements and d.signed and d.persons and d.partners
    sentences = {e.sentence for e in d.trade}
    shown = {str(s) for t in tables if "Предложение" in t.value for s in t.value["Предложение"]}
    assert sentences <= shown
    labels = [str(el.proto.label) for el in at.get("download_button")]
    assert "Скачать CSV региона" in labels
    assert not [i for i in at.info if "нет данных" in i.value]


def test_region_page_empty_and_unknown(data: Path) -> None:
    empty = _app({"r": "Республика Тыва"}, page="region")
    assert any("нет данных" in i.value for i in empty.info)
    unknown = _app({"r": "Атлантида <b>"}, page="region")
    warnings = [w.value for w in unknown.warning]
    assert warnings and "Регион не найден" in warnings[0] and "<b>" not in warnings[0]
