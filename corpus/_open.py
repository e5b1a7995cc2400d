"""One way to open a store: from its URL.

``sqlite:///PATH`` is an SQLite file (``sqlite:////abs/corpus.sqlite``, or relative to the current
folder with three slashes); ``postgresql://user:password@host:port/db`` (also ``postgres://``) a
PostgreSQL database. ``store_url(configured, data_dir)`` gives the URL a command uses: the
configured one, else the SQLite file in the data directory (today's behaviour).

>>> store_url("", Path("/var/lib/vestnik"))
'sqlite:////var/lib/vestnik/corpus.sqlite'
>>> describe("postgresql://crawler:secret@db.local:5432/vestnik")
'postgresql://crawler:***@db.local:5432/vestnik'
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from core.errors import StoreError
from corpus._postgres import redact
from corpus._protocols import Store
from corpus._store import STORE_FILENAME

__all__ = ["describe", "open_store", "sqlite_url", "store_url"]

_USAGE = "use sqlite:///PATH or postgresql://USER@HOST:PORT/DATABASE"


def sqlite_url(data_dir: Path | str) -> str:
    """The URL of the SQLite store in ``data_dir``."""
    return "sqlite:///" + str(Path(data_dir).expanduser().absolute() / STORE_FILENAME)


def store_url(configured: str, data_dir: Path) -> str:
    """The configured store URL, or the SQLite store of ``data_dir`` when none is configured."""
    return configured.strip() or sqlite_url(data_dir)


def describe(url: str) -> str:
    """The URL fit for messages and logs (no password)."""
    return redact(url)


def _check_postgres(url: str) -> None:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise StoreError(
            f"invalid port in the store URL {describe(url)}: a port is 1-65535"
        ) from None
    if port == 0:
        raise StoreError(f"invalid port in the store URL {describe(url)}: a port is 1-65535")
    if parts.netloc.endswith(":"):
        raise StoreError(f"empty port in the store URL {describe(url)}: a port is 1-65535")
    if not parts.path.strip("/"):
        raise StoreError(f"the store URL {describe(url)} names no database: {_USAGE}")


def open_store(url: str) -> Store:
    """Open the store at ``url`` (creating its schema if needed); a ``StoreError`` with one line
    when it cannot be opened."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "sqlite":
        if not url.lower().startswith("sqlite:///") or len(url) <= len("sqlite:///"):
            raise StoreError(f"cannot read the store URL {url!r}: {_USAGE}")
        from corpus._store import SQLiteStore

        path = Path(url[len("sqlite:///") :]).expanduser()
        if path.is_dir():
            raise StoreError(
                f"the store URL {url} names a folder: give the file, e.g. {path / STORE_FILENAME}"
            )
        return SQLiteStore.open_file(path)
    if scheme in ("postgresql", "postgres"):
        _check_postgres(url)
        from corpus._store import PostgresStore

        return PostgresStore(url)
    raise StoreError(f"cannot read the store URL {describe(url)!r}: {_USAGE}")
