"""A real PostgreSQL 15 server for tests: initdb into a temporary folder, a free port on 127.0.0.1.

``PgServer.start()`` runs Debian's binaries (``/usr/lib/postgresql/15/bin``, or ``$VESTNIK_PG_BIN``).
initdb refuses to run as root, so as root the cluster belongs to the ``postgres`` user (created by
Debian's package; a ``vestnik-pg`` system user is made if it is missing). Host connections need the
password (scram-sha-256), so a wrong password really fails. ``new_database()`` gives each test a
database of its own; ``stop()`` shuts the server down and removes the folder.

Use the session fixture ``pg_server`` and the per-test ``pg_url`` from ``tests/conftest.py``.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests._net import free_port

__all__ = ["PG_PASSWORD", "PG_USER", "PgServer", "pg_bin"]

PG_USER = "vestnik"
PG_PASSWORD = "vestnik-test-pw"
_DEFAULT_BIN = Path("/usr/lib/postgresql/15/bin")


def pg_bin() -> Path:
    """The folder of initdb/pg_ctl (``$VESTNIK_PG_BIN`` or Debian's PostgreSQL 15)."""
    return Path(os.environ.get("VESTNIK_PG_BIN", str(_DEFAULT_BIN)))


def _os_user() -> str | None:
    """The user who owns the cluster: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "vestnik-pg"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "vestnik-pg"],
        check=True,
    )
    return "vestnik-pg"


class PgServer:
    """One throwaway PostgreSQL cluster."""

    def __init__(self) -> None:
        self.user = _os_user()
        # as root the cluster's owner must reach its folder: /tmp, not a private $TMPDIR
        where = "/tmp" if self.user is not None and os.path.isdir("/tmp") else None
        self.root = Path(tempfile.mkdtemp(prefix="vestnik-pg-", dir=where))
        self.datadir = self.root / "data"
        self.port = free_port()
        self._names = itertools.count(1)

    def _run(self, *cmd: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        argv = list(cmd)
        if self.user is not None:
            argv = ["runuser", "-u", self.user, "--", *argv]
        return subprocess.run(argv, check=check, capture_output=True, text=True, timeout=120)

    def start(self) -> PgServer:
        """initdb, start, wait until it accepts connections."""
        binary = pg_bin()
        if not (binary / "initdb").exists():
            raise RuntimeError(
                f"PostgreSQL binaries not found in {binary}: run `make system-deps` "
                "(installs Debian's postgresql)"
            )
        if self.user is not None:
            shutil.chown(self.root, self.user)
        pwfile = self.root / "pw"
        pwfile.write_text(PG_PASSWORD + "\n")
        if self.user is not None:
            shutil.chown(pwfile, self.user)
        self._run(
            str(binary / "initdb"), "-D", str(self.datadir), "-U", PG_USER, "--pwfile", str(pwfile),
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
            "--no-sync",
        )  # fmt: skip
        self._pg_ctl("start")
        return self

    def _pg_ctl(self, action: str) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        self._run(
            str(pg_bin() / "pg_ctl"), "-D", str(self.datadir), "-l", str(self.root / "log"),
            "-o", options, "-m", "fast", "-w", "-t", "60", action,
        )  # fmt: skip

    def restart(self) -> None:
        """Restart the server (every client connection is dropped)."""
        self._pg_ctl("restart")

    @property
    def admin_url(self) -> str:
        """A URL of the ``postgres`` database as the superuser."""
        return self.url("postgres")

    def url(self, database: str, password: str = PG_PASSWORD) -> str:
        """``postgresql://`` URL of ``database`` on this server."""
        return f"postgresql://{PG_USER}:{password}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        name = f"t{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server (immediate: its data is thrown away, so no shutdown checkpoint) and
        remove its folder."""
        self._run(
            str(pg_bin() / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "-w", "stop",
            check=False,
        )  # fmt: skip
        for _ in range(50):
            if not (self.datadir / "postmaster.pid").exists():
                break
            time.sleep(0.1)
        shutil.rmtree(self.root, ignore_errors=True)
