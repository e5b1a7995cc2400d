"""``vestnik region NAME``: the region's dossier as text, JSON or CSV (the «Регион» page's data)."""

from __future__ import annotations

import argparse
import sys

from core.settings import Settings

__all__ = ["run"]


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the dossier of the region ``args.name`` (any word form) in ``args.format``."""
    from corpus import open_store
    from indexer.dossier import (
        build_dossier,
        dossier_csv,
        dossier_json,
        dossier_text,
        resolve_region,
    )

    region = resolve_region(args.name)
    with open_store(settings.store_url) as store:
        dossier = build_dossier(store, region)
    if args.format == "csv":
        sys.stdout.buffer.write(dossier_csv(dossier))
        sys.stdout.flush()
    elif args.format == "json":
        print(dossier_json(dossier))
    else:
        print(dossier_text(dossier), end="")
    return 0
