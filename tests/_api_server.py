"""A real uvicorn server on 127.0.0.1 serving ``webapi.create_app`` in a thread, for the API tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests._net import free_port


@contextmanager
def api_server(data: Path, **options: Any) -> Iterator[str]:
    """Serve the API of ``data`` (``create_app`` options) and yield its base URL."""
    import uvicorn

    from webapi import create_app

    port = free_port()
    config = uvicorn.Config(
        create_app(data, **options), host="127.0.0.1", port=port, log_level="warning",
        access_log=False,
    )  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise AssertionError("the API server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
