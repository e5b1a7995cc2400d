"""Which process owns a run or a claim: ``host:pid``, and whether that process is gone."""

from __future__ import annotations

import os
import socket

__all__ = ["gone_here", "owner"]


def owner() -> str:
    """This process as ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def gone_here(owner_id: str) -> bool | None:
    """True when ``owner_id`` is a process of this host that has exited, False when it runs,
    None when it cannot be told from here (another host, or no owner recorded)."""
    host, _, pid = owner_id.rpartition(":")
    if not host or not pid.isdigit() or host != socket.gethostname():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False
