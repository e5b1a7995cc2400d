"""``vestnik serve``: the read-only HTTP API (``webapi``) on 127.0.0.1 (docs/api.md)."""

from __future__ import annotations

import argparse

from core.settings import Settings

__all__ = ["run"]


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the API of the data directory until interrupted."""
    from webapi import serve

    api = settings.api
    serve(
        settings.data_dir,
        store_url=settings.store_url,
        host=args.host or api.host,
        port=args.port if args.port is not None else api.port,
        token=api.token,
        cors_origins=api.origins(),
        search_backend=settings.search.backend,
    )
    return 0
