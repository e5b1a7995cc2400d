"""The ``vestnik`` command: a thin layer over the packages (see docs/cli.md for the contract).

Each subcommand's work lives in ``vestnik/_cmd_<name>.py`` as ``run(args, settings) -> int``; this
module only parses arguments, loads settings, sets up logging and maps errors to exit codes:
0 success, 1 the work failed (one line on stderr, ``--debug`` for the traceback), 2 bad usage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from core.errors import VestnikError
from vestnik import _argtypes as argtypes

__all__ = ["build_parser", "main"]

QUERY_HELP = """\
Синтаксис запроса:
  слова через пробел       все слова должны встретиться (И), в любой форме: «соглашение курская область»
  OR / ИЛИ                  любое из слов: «Брянск OR Смоленск»
  NOT / НЕ                  исключить слово: «ярмарка NOT Коренская»
  "фраза в кавычках"        слова рядом и по порядку, в любых падежах: «"Курская область"»
  префикс*                  начало слова: «цифров*»
  поле:значение             поиск в поле: title:соглашение, site:mpt, lang:be, region:"Курская область"
"""

EPILOG = (
    "Подробнее: docs/cli.md. Ошибка — одна строка в stderr и код 1; --debug показывает трассировку."
)


def _common(p: argparse.ArgumentParser, data: bool = True) -> None:
    if data:
        p.add_argument("--data", metavar="DIR", help="data directory (else $VESTNIK_DATA)")
    p.add_argument("--config", metavar="FILE", help="configuration file (TOML)")


def _add(
    sub: Any, name: str, help_: str, example: str, description: str = ""
) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        name,
        help=help_,
        description=(description or help_) + f"\n\nExample:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return p


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the whole command."""
    parser = argparse.ArgumentParser(
        prog="vestnik",
        description="Сбор, поиск с учётом морфологии и извлечение фактов из новостей о сотрудничестве.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("-v", "--verbose", action="store_true", help="more log lines")
    parser.add_argument("-q", "--quiet", action="store_true", help="warnings and errors only")
    parser.add_argument("--log-format", choices=["text", "json"], help="log line format")
    parser.add_argument(
        "--store", metavar="URL",
        help="corpus store: sqlite:///PATH or postgresql://USER@HOST:PORT/DB (else $VESTNIK_STORE)",
    )  # fmt: skip
    parser.add_argument("--version", action="version", version="vestnik 0.1.0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = _add(
        sub, "crawl", "crawl sites into the store", "vestnik crawl https://www.mpt.gov.by/ru/news"
    )
    p.add_argument(
        "targets", nargs="*", metavar="START_URL|SITE", help="start URLs or profile names"
    )
    _common(p)
    p.add_argument(
        "--max-pages", type=argtypes.whole, metavar="N", help="pages per site (0: no limit)"
    )
    p.add_argument(
        "--delay", type=argtypes.seconds, metavar="SEC", help="seconds between requests to a host"
    )
    p.add_argument("--concurrency", type=argtypes.whole, metavar="N", help="requests in flight")

    p = _add(sub, "ingest", "local .html/.htm/.txt/.pdf/.docx/.odt/.rtf/.doc files or folders "
             "become documents", "vestnik ingest ~/Downloads/news/")  # fmt: skip
    p.add_argument("paths", nargs="+", metavar="PATH")
    _common(p)

    p = _add(sub, "index", "index new and changed documents, extract their facts", "vestnik index")
    _common(p)
    p.add_argument("--rebuild", action="store_true", help="rebuild the index from the store")

    p = _add(sub, "derive", "extract facts, regions and persons of new and changed documents",
             "vestnik derive --rebuild")  # fmt: skip
    _common(p)
    p.add_argument("--rebuild", action="store_true", help="derive every document afresh")

    p = _add(sub, "update", "incremental crawl + index + facts (what a schedule runs)",
             "vestnik update --data /var/lib/vestnik")  # fmt: skip
    _common(p)

    p = _add(sub, "search", "search the index", 'vestnik search "соглашение курская область"',
             description="Поиск по индексу.\n\n" + QUERY_HELP)  # fmt: skip
    p.add_argument("query", nargs="?", default="", metavar="QUERY")
    _common(p)
    p.add_argument("--limit", type=argtypes.whole, default=10, metavar="N")
    p.add_argument(
        "--page", type=argtypes.whole, default=1, metavar="N", help="page of results (from 1)"
    )
    p.add_argument("--since", type=argtypes.date, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=argtypes.date, metavar="YYYY-MM-DD")
    p.add_argument("--site", metavar="S")
    p.add_argument("--lang", choices=["ru", "be", "en"])
    p.add_argument("--region", metavar="R", help="region in the nominative, e.g. 'Курская область'")
    p.add_argument("--kind", choices=["page", "attachment"],
                   help="only pages or only attachments (files linked from articles)")  # fmt: skip
    p.add_argument("--sort", choices=["relevance", "date"], default="relevance")
    p.add_argument("--json", action="store_true", help="print a JSON list of results")
    p.add_argument("--all-copies", action="store_true",
                   help="one row per document instead of one per story (cluster of copies)")  # fmt: skip

    p = _add(sub, "facts", "export facts as CSV or JSON",
             "vestnik facts \"курская область\" --type agreement_count --output facts.csv",
             description="Выгрузка фактов.\n\n" + QUERY_HELP)  # fmt: skip
    p.add_argument("query", nargs="?", default="", metavar="QUERY")
    _common(p)
    p.add_argument("--type", action="append", dest="types", metavar="T",
                   choices=["agreement_count", "trade_change", "partner_count",
                            "signed_document", "person_role"])  # fmt: skip
    p.add_argument("--since", type=argtypes.date, metavar="D")
    p.add_argument("--until", type=argtypes.date, metavar="D")
    p.add_argument("--site", metavar="S")
    p.add_argument("--region", metavar="R")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("--excel", action="store_true", help="UTF-8 with BOM and ';' for Excel")
    p.add_argument("--dedupe", action="store_true",
                   help="one row per fact per story: copies of a story give its facts once")  # fmt: skip
    p.add_argument("--output", default="-", metavar="FILE|-")

    p = _add(sub, "region", "a region's dossier: documents, agreements, trade, persons, partners",
             'vestnik region "Курская область" --format csv')  # fmt: skip
    p.add_argument("name", metavar="NAME", help="region in any form: «курской», «Курская обл.»")
    _common(p)
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")

    p = _add(sub, "extract", "one page -> its document fields and facts; nothing stored",
             "vestnik extract page.html --format json")  # fmt: skip
    p.add_argument("source", metavar="FILE|URL")
    p.add_argument("--format", choices=["json", "text"], default="json")
    p.add_argument("--no-repeats", dest="repeats", action="store_false",
                   help="keep blocks the store's repeats table would strip")  # fmt: skip
    _common(p)

    p = _add(sub, "schedule", "run update on a schedule, in the foreground",
             'vestnik schedule --cron "0 */6 * * *"')  # fmt: skip
    group = p.add_mutually_exclusive_group()
    group.add_argument("--cron", metavar="EXPR", help='crontab expression, e.g. "0 */6 * * *"')
    group.add_argument("--every", metavar="DURATION", help="interval: 90s, 30m, 6h, 1d")
    _common(p)

    p = _add(sub, "ui", "start the search UI (Streamlit)", "vestnik ui --port 8501")
    _common(p)
    p.add_argument("--port", type=argtypes.port, default=8501, metavar="N")

    p = _add(sub, "demo", "serve the bundled demo site, crawl and index it, start the UI",
             "vestnik demo")  # fmt: skip
    _common(p)
    p.add_argument("--port", type=argtypes.port, default=8501, metavar="N", help="UI port")
    p.add_argument("--no-ui", action="store_true", help="build the demo data only")

    _watch_parser(sub)
    _repeats_parser(sub)
    p = _add(sub, "serve", "serve the read-only HTTP API (JSON, CSV, Atom feeds)",
             "vestnik serve --port 8765")  # fmt: skip
    _common(p)
    p.add_argument("--host", metavar="ADDR", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=argtypes.whole, metavar="N", help="port (default 8765)")

    p = _add(sub, "config", "print the effective configuration and where each value came from",
             "vestnik config")  # fmt: skip
    _common(p)

    p = _add(sub, "migrate", "copy the whole store to another store (SQLite <-> PostgreSQL)",
             "vestnik migrate --to postgresql://vestnik@db.local:5432/vestnik")  # fmt: skip
    p.add_argument("--to", required=True, metavar="URL", help="the target store's URL")
    p.add_argument("--from", dest="source", metavar="URL",
                   help="the source store's URL (else --store / store.url / the data directory)")  # fmt: skip
    _common(p)
    return parser


def _watch_parser(sub: Any) -> None:
    """``vestnik watch add|list|show|remove`` (saved searches, vestnik/_cmd_watch.py)."""
    p = _add(sub, "watch", "saved searches: add, list, show new items, remove",
             'vestnik watch add kursk "соглашение курская область" --site mpt')  # fmt: skip
    wsub = p.add_subparsers(dest="watch_command", metavar="ACTION", required=True)
    a = _add(wsub, "add", "save a search under a name",
             'vestnik watch add export "экспорт брянская область" --since 2024-01-01')  # fmt: skip
    a.add_argument("name", metavar="NAME")
    a.add_argument("query", metavar="QUERY", help="query in the search syntax ('' for all)")
    a.add_argument("--since", type=argtypes.date, metavar="YYYY-MM-DD")
    a.add_argument("--until", type=argtypes.date, metavar="YYYY-MM-DD")
    a.add_argument("--site", metavar="S")
    a.add_argument("--lang", choices=["ru", "be", "en"])
    a.add_argument("--region", metavar="R")
    lst = _add(wsub, "list", "saved searches with their new/total item counts",
               "vestnik watch list")  # fmt: skip
    lst.add_argument("--json", action="store_true")
    s = _add(wsub, "show", "the items updates found for a saved search",
             "vestnik watch show export --new")  # fmt: skip
    s.add_argument("name", metavar="NAME")
    s.add_argument("--new", action="store_true", help="only the items not seen yet")
    s.add_argument("--run", type=argtypes.whole, metavar="N", help="only the items of run N")
    s.add_argument("--limit", type=argtypes.whole, default=50, metavar="N")
    s.add_argument("--mark-seen", action="store_true", help="mark the shown items seen")
    s.add_argument("--json", action="store_true")
    r = _add(wsub, "remove", "delete a saved search and its items", "vestnik watch remove export")
    r.add_argument("name", metavar="NAME")
    for action in (a, lst, s, r):
        _common(action)


def _repeats_parser(sub: Any) -> None:
    """``vestnik repeats learn|show|apply|clear`` (boilerplate by repetition, _cmd_repeats.py)."""
    p = _add(sub, "repeats", "blocks repeated on many pages of a site: learn, show, apply, clear",
             "vestnik repeats learn --site mpt")  # fmt: skip
    rsub = p.add_subparsers(dest="repeats_command", metavar="ACTION", required=True)
    learn = _add(rsub, "learn", "learn a site's repeated blocks from its stored pages",
                 "vestnik repeats learn --site mpt --min-pages 3")  # fmt: skip
    learn.add_argument("--min-pages", type=argtypes.two_or_more, default=3, metavar="K",
                       help="a block must be on K distinct pages (at least 2)")  # fmt: skip
    learn.add_argument("--min-share", type=argtypes.share, default=0.01, metavar="X",
                       help="and on this share of the host's pages (default 0.01)")  # fmt: skip
    show = _add(rsub, "show", "the learned blocks per host with their page counts",
                "vestnik repeats show --site mpt")  # fmt: skip
    show.add_argument("--limit", type=argtypes.whole, default=20, metavar="N",
                      help="blocks shown per host (0: all)")  # fmt: skip
    apply = _add(rsub, "apply", "re-extract stored pages with the table (new versions)",
                 "vestnik repeats apply --site mpt")  # fmt: skip
    clear = _add(
        rsub, "clear", "forget the table (of one site)", "vestnik repeats clear --site mpt"
    )
    for action in (learn, show, apply, clear):
        action.add_argument("--site", metavar="S", help="one site of the store (else all)")
        _common(action)


_OVERRIDES = {
    "data": "data_dir",
    "max_pages": "crawler.max_pages",
    "delay": "politeness.delay",
    "concurrency": "crawler.concurrency",
    "log_format": "log.format",
    "store": "store.url",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``vestnik`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        from core.settings import load_settings
        from vestnik._logging import setup_logging

        overrides = {key: getattr(args, name, None) for name, key in _OVERRIDES.items()}
        if args.verbose:
            overrides["log.level"] = "debug"
        elif args.quiet:
            overrides["log.level"] = "warning"
        settings = load_settings(getattr(args, "config", None), overrides)
        setup_logging(settings.log.level, settings.log.format)
        module = importlib.import_module(f"vestnik._cmd_{args.command}")
        return int(module.run(args, settings))
    except VestnikError as exc:
        if args.debug:
            raise
        print(f"vestnik: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("vestnik: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `vestnik facts | head`): not an error worth a message
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # the one place that catches everything
        if args.debug:
            raise
        print(
            f"vestnik: unexpected error: {type(exc).__name__}: {exc} (use --debug)", file=sys.stderr
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
