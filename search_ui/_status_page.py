"""The "Состояние" page: sites, crawl runs, errors, the schedule, and "Обновить сейчас"."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from search_ui._render import format_date, md_escape
from search_ui._resources import data_dir, get_store

__all__ = ["render", "runs_frame", "schedule_text", "sites_frame"]

RUN_KINDS = {"crawl": "сбор", "update": "обновление", "index": "индексация", "ingest": "загрузка"}
RUN_STATUS = {"running": "идёт", "ok": "успешно", "failed": "ошибка", "interrupted": "прервано"}
_PENDING = "vn_update_pending"  # session key: (previous status start, deadline) of a started update
_START_GRACE = 30.0  # seconds a started update may take to write its first status
PHASES = {"crawl": "сбор страниц", "index": "индексация и факты", "done": "готово"}


def sites_frame(stats: list[dict[str, Any]]) -> pd.DataFrame:
    """Per site: documents, removed, newest publication, last fetch."""
    return pd.DataFrame(
        [
            {
                "Сайт": s["site"],
                "Документов": int(s["documents"] or 0),
                "Удалено с сайта": int(s["gone"] or 0),
                "Новейшая публикация": format_date(s["newest"] or ""),
                "Последняя загрузка": format_date(s["last_fetched"] or ""),
            }
            for s in stats
        ],
        columns=[
            "Сайт",
            "Документов",
            "Удалено с сайта",
            "Новейшая публикация",
            "Последняя загрузка",
        ],
    )


def _count(counters: dict[str, int], *keys: str) -> int | None:
    found = [int(counters[k]) for k in keys if k in counters]
    return sum(found) if found else None


def runs_frame(runs: list[Any]) -> pd.DataFrame:
    """The last runs: kind, start, end, status, fetched/new/changed/failed."""
    records = []
    for run in runs:
        c = run.counters
        records.append(
            {
                "Запуск": run.id,
                "Вид": RUN_KINDS.get(run.kind, run.kind),
                "Начало": format_date(run.started_at),
                "Окончание": format_date(run.finished_at),
                "Статус": RUN_STATUS.get(run.status, run.status),
                "Загружено": _count(c, "fetched"),
                "Новых": _count(c, "new", "index_added"),
                "Изменено": _count(c, "changed", "index_updated"),
                "Ошибок": _count(c, "failed") or run.errors,
                "Итог": run.message,
            }
        )
    return pd.DataFrame(records)


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return True  # no pid recorded: trust the file
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def schedule_text(schedule: dict[str, Any] | None) -> str:
    """One line about the schedule: the next run, or that no schedule runs."""
    if not schedule or not schedule.get("next_run") or not _alive(schedule.get("pid")):
        return "Расписание не запущено (`vestnik schedule --every 6h` запускает обновления)."
    expr = md_escape(schedule.get("expr", ""))
    return f"Следующий запуск по расписанию: **{format_date(str(schedule['next_run']))}** ({expr})"


def _waiting_for_start(status: dict[str, Any]) -> bool:
    """True while an update this session started has not yet written its first status."""
    pending = st.session_state.get(_PENDING)
    if pending is None:
        return False
    before, deadline = pending
    if str(status.get("started_at", "")) == before and time.monotonic() < deadline:
        return True
    del st.session_state[_PENDING]
    return False


def _progress(directory: Path, watching: bool) -> None:
    import ops as operations

    status = operations.read_update_status(directory)
    if _waiting_for_start(status):
        st.info("Обновление запускается…")
        return
    state = status.get("state", "idle")
    counters = status.get("counters") or {}
    if state == "running":
        phase = PHASES.get(str(status.get("phase", "")), str(status.get("phase", "")))
        box = st.status(f"Идёт обновление: {phase}", state="running", expanded=True)
        box.write(f"Начато: {format_date(str(status.get('started_at', '')))}")
        if counters:
            box.dataframe(pd.DataFrame([counters]), hide_index=True)
    elif watching:
        st.rerun()  # the update ended: redraw the whole page (new counts, runs, index)
    elif state == "failed" and status.get("started_at"):
        st.error(
            f"Последнее обновление завершилось ошибкой: {md_escape(status.get('message', ''))}"
        )
    elif status.get("phase") == "done":
        st.success(
            f"Последнее обновление закончено {format_date(str(status.get('finished_at', '')))}: "
            f"{md_escape(status.get('message', ''))}"
        )


def _update_box(directory: Path) -> None:
    import ops as operations

    running = operations.update_running(directory)
    st.subheader("Обновление")
    if st.button("Обновить сейчас", icon=":material/refresh:", disabled=running, type="primary"):
        before = str(operations.read_update_status(directory).get("started_at", ""))
        config = os.environ.get("VESTNIK_CONFIG") or None
        if operations.start_update_background(directory, config):
            st.session_state[_PENDING] = (before, time.monotonic() + _START_GRACE)
            st.toast("Обновление запущено")
        else:
            st.info("Обновление уже идёт — второе не запускается.")
    st.markdown(schedule_text(operations.read_schedule(directory)))
    watching = running or _PENDING in st.session_state

    @st.fragment(run_every=1.5 if watching else None)
    def progress() -> None:
        _progress(directory, watching)

    progress()


def render() -> None:
    """Draw the status page."""
    st.title("Состояние")
    directory = data_dir()
    st.caption(f"Каталог данных: {md_escape(directory)}")
    store = get_store()
    _update_box(directory)
    st.subheader("Сайты")
    stats = store.site_stats()
    if stats:
        st.dataframe(sites_frame(stats), hide_index=True)
    else:
        st.info("В хранилище пока нет документов.")
    facts = store.count_facts()
    if facts:
        st.caption("Фактов: " + ", ".join(f"{k} — {v}" for k, v in sorted(facts.items())))
    st.subheader("Последние запуски")
    runs = store.recent_runs(10)
    if runs:
        st.dataframe(runs_frame(runs), hide_index=True)
    else:
        st.caption("Запусков ещё не было.")
    st.subheader("Последние ошибки")
    errors = store.recent_errors(20)
    if errors:
        frame = pd.DataFrame(errors).rename(
            columns={"run_id": "Запуск", "url": "Адрес", "error": "Ошибка", "at": "Когда"}
        )
        frame["Когда"] = frame["Когда"].map(lambda v: format_date(str(v)))
        st.dataframe(frame, hide_index=True)
    else:
        st.caption("Ошибок нет.")
