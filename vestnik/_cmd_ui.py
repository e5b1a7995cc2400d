"""``vestnik ui``: run the Streamlit search UI (``search_ui/app.py``) on the data directory.

The process becomes ``streamlit run`` (``exec``), so stopping ``vestnik ui`` stops the server. It
listens on 127.0.0.1 only, unless ``STREAMLIT_SERVER_ADDRESS`` names another address. The
data directory, the configuration file, the store and the search backend reach the app through
``VESTNIK_DATA``, ``VESTNIK_CONFIG``, ``VESTNIK_STORE`` and ``VESTNIK_SEARCH_BACKEND``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from core.errors import ConfigError
from core.settings import Settings

__all__ = ["app_path", "run", "streamlit_command"]


def app_path() -> Path:
    """The Streamlit entry script of the installed ``search_ui`` package."""
    import search_ui

    return Path(search_ui.__file__).resolve().parent / "app.py"


def streamlit_command(port: int, address: str = "127.0.0.1") -> list[str]:
    """The ``streamlit run`` command line: headless, on ``address:port``, no usage statistics."""
    return [
        sys.executable, "-m", "streamlit", "run", str(app_path()),
        "--server.headless", "true",
        "--server.address", address,
        "--server.port", str(port),
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "viewer",
        "--theme.base", "light",
    ]  # fmt: skip


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Replace this process with the Streamlit server; print the address first."""
    port = int(args.port)
    if not 0 < port < 65536:
        raise ConfigError(f"--port must be between 1 and 65535, got {port}")
    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, VESTNIK_DATA=str(data_dir))
    if settings.store.url.strip():  # e.g. the global --store option
        env["VESTNIK_STORE"] = settings.store.url.strip()
    env["VESTNIK_SEARCH_BACKEND"] = settings.search.backend
    if settings.config_file is not None:
        env["VESTNIK_CONFIG"] = str(settings.config_file.resolve())
    # local only unless the operator asks for more (Streamlit's own STREAMLIT_SERVER_ADDRESS)
    address = os.environ.get("STREAMLIT_SERVER_ADDRESS", "127.0.0.1")
    shown = "localhost" if address in ("127.0.0.1", "localhost") else address
    print(f"Интерфейс поиска: http://{shown}:{port}  (данные: {data_dir})", flush=True)
    cmd = streamlit_command(port, address)
    os.execvpe(cmd[0], cmd, env)
    return 0  # not reached
