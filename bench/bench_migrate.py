"""Migrate throughput: a generated SQLite store copied into PostgreSQL and back (``vestnik migrate``).

The store holds ``--docs`` documents (a third with a second version), two facts each and a fetched
page each (5 KB of HTML); PostgreSQL 15 runs on 127.0.0.1 from tests/_pg.py (fsync off, as in the
tests). Baseline side by side in the same run: a plain SQLite -> SQLite file copy of the same rows
through vestnik (``migrate_store`` into a new SQLite file), so the ratio shows PostgreSQL's cost.

    nice python bench/bench_migrate.py --docs 20000
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.records import DocumentDraft, Fact, PageFetch  # noqa: E402
from corpus import migrate_store, open_store, sqlite_url  # noqa: E402
from tests._pg import PgServer  # noqa: E402

BODY = (
    "Витебская область и Нижегородская область подписали соглашение о сотрудничестве. "
    "Товарооборот вырос на 12,5 процента. "
) * 12


def fill(url: str, docs: int) -> None:
    with open_store(url) as store:
        for i in range(docs):
            with store.batch():
                draft = DocumentDraft(
                    url=f"https://e.by/ru/news/{i}", site="e", title=f"Новость {i}",
                    body=f"{BODY} № {i}", published="2024-05-01",
                )  # fmt: skip
                out = store.save_document(draft)
                if i % 3 == 0:
                    store.save_document(DocumentDraft(**{**draft.__dict__, "body": BODY + "!"}))
                store.replace_facts(out.doc_id, 1, [Fact("agreement_count", "1", rule="r"),
                                                    Fact("trade_change", "12.5", rule="t")])  # fmt: skip
                store.record_fetch(PageFetch(draft.url, "e", 200, "ok",
                                             raw_html=(f"<p>{BODY}</p>" * 4).encode()))  # fmt: skip


def timed(source: str, target: str) -> dict[str, float]:
    started = time.perf_counter()
    summary = migrate_store(source, target)
    seconds = time.perf_counter() - started
    rows = sum(summary.rows.values())
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=20000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-migrate-"))
    source = sqlite_url(work / "src")
    t = time.perf_counter()
    fill(source, args.docs)
    size_mb = (work / "src" / "corpus.sqlite").stat().st_size / 1e6
    print(f"generated {args.docs} documents ({size_mb:.0f} MB) in {time.perf_counter() - t:.0f} s")
    server = PgServer().start()
    try:
        pg = server.new_database()
        results = {
            "sqlite_to_sqlite": timed(source, sqlite_url(work / "copy")),
            "sqlite_to_postgres": timed(source, pg),
            "postgres_to_sqlite": timed(pg, sqlite_url(work / "back")),
        }
    finally:
        server.stop()
    base = results["sqlite_to_sqlite"]["rows_per_s"]
    for name, r in results.items():
        r["ratio_vs_sqlite_copy"] = round(r["rows_per_s"] / base, 2)
        print(f"{name:20} {r['rows']:>8} rows {r['seconds']:>7} s {r['rows_per_s']:>8} rows/s "
              f"x{r['ratio_vs_sqlite_copy']}")  # fmt: skip
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        "# Migrate throughput (bench/bench_migrate.py)",
        "",
        f"{args.docs} documents, {results['sqlite_to_sqlite']['rows']} rows in all tables, "
        f"SQLite file {size_mb:.0f} MB; load average after the run: {load}.",
        "",
        "| copy | rows | seconds | rows/s | vs SQLite -> SQLite |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(f"| {name.replace('_', ' ')} | {r['rows']} | {r['seconds']} | {r['rows_per_s']} | "
          f"{r['ratio_vs_sqlite_copy']}x |" for name, r in results.items()),
    ]  # fmt: skip
    (ROOT / "bench" / "results" / "migrate.md").write_text("\n".join(lines) + "\n")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
