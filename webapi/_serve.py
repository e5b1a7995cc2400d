"""``vestnik serve``: the API under uvicorn, on 127.0.0.1 unless a token allows more."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from core.errors import ConfigError
from webapi._auth import check_exposure

__all__ = ["serve"]

log = logging.getLogger(__name__)


def serve(
    data_dir: Path,
    *,
    store_url: str = "",
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str = "",
    cors_origins: Sequence[str] = (),
    search_backend: str = "whoosh",
) -> None:
    """Serve the API until interrupted; ``ConfigError`` for a bad port or an unguarded host."""
    import uvicorn

    from webapi._app import create_app

    if not 0 < port < 65536:
        raise ConfigError(f"the port must be between 1 and 65535, got {port}")
    check_exposure(host, token)
    app = create_app(
        data_dir, store_url=store_url, token=token, cors_origins=cors_origins,
        search_backend=search_backend,
    )  # fmt: skip
    shown = f"[{host}]" if ":" in host else host
    print(
        f"API: http://{shown}:{port}/api  (OpenAPI: /openapi.json; данные: {data_dir})", flush=True
    )
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, server_header=False,
        proxy_headers=False, timeout_graceful_shutdown=5,
    )  # fmt: skip
    server = uvicorn.Server(config)
    try:
        server.run()
    except OSError as exc:  # the port is taken, the address is not ours
        raise ConfigError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from exc
    if not server.started:
        raise ConfigError(f"cannot serve on {host}:{port} (is the port in use?)")
