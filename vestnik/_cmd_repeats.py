"""``vestnik repeats learn|show|apply|clear``: the store's table of repeated blocks (boilerplate
by repetition, crawler/_repeats_store.py): learned per site from the store's own pages, applied
to every body a crawl or ``vestnik extract`` makes."""

from __future__ import annotations

import argparse
from typing import Any

from core.settings import Settings
from vestnik._progress import KeyedBar

__all__ = ["run"]


def _learn(args: argparse.Namespace, settings: Settings, store: Any) -> int:
    from crawler import learn_store_repeats

    with KeyedBar() as bar:
        _, report = learn_store_repeats(store, settings, args.site, min_pages=args.min_pages,
                                        min_share=args.min_share, progress=bar)  # fmt: skip
    for r in report:
        print(f"{r.site}: {r.pages} pages read, {r.articles} articles, {r.blocks} repeated blocks "
              f"on {r.hosts} hosts; {r.stale} stored bodies differ from what the table gives")  # fmt: skip
    if any(r.stale for r in report):
        print("run `vestnik repeats apply` to re-extract them (new crawls use the table already)")
    return 0


def _show(args: argparse.Namespace, store: Any) -> int:
    from crawler import stored_repeats

    table = stored_repeats(store)
    hosts = {} if table is None else table.hosts
    shown = {h: r for h, r in sorted(hosts.items()) if args.site in (None, r.site)}
    if not shown:
        print("no repeated blocks learned" + (f" for {args.site}" if args.site else ""))
        return 0
    assert table is not None
    print(f"blocks on >= {table.min_pages} pages and >= {table.min_share:.0%} of a host's pages")
    for host, r in shown.items():
        print(
            f"{host} (site {r.site or '-'}): {len(r.blocks)} blocks, learned from {r.pages} pages"
        )
        ranked = sorted(r.blocks.values(), key=lambda b: (-b.pages, b.text))
        for block in ranked[: args.limit or None]:
            text = block.text if len(block.text) <= 100 else block.text[:99] + "…"
            print(f"  {block.pages:>6}  {text}")
        if args.limit and len(ranked) > args.limit:
            print(f"  … {len(ranked) - args.limit} more (--limit 0 shows all)")
    return 0


def _apply(args: argparse.Namespace, settings: Settings, store: Any) -> int:
    from crawler import apply_repeats

    with KeyedBar() as bar:
        report = apply_repeats(store, settings, args.site, progress=bar)
    for r in report:
        print(f"{r.site}: {r.pages} articles re-extracted, {r.changed} changed "
              f"(new versions), {r.unchanged} unchanged")  # fmt: skip
    if any(r.changed for r in report):
        print("run `vestnik index` to index the new versions")
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Dispatch to the action."""
    from corpus import open_store

    with open_store(settings.store_url) as store:
        if args.repeats_command == "learn":
            return _learn(args, settings, store)
        if args.repeats_command == "show":
            return _show(args, store)
        if args.repeats_command == "apply":
            return _apply(args, settings, store)
        from crawler import clear_repeats

        print(f"forgot the repeated blocks of {clear_repeats(store, args.site)} hosts")
        return 0
