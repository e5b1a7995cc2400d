"""Where an index lives in a data directory."""

from __future__ import annotations

from pathlib import Path

__all__ = ["INDEX_DIRNAME", "index_dir"]

INDEX_DIRNAME = "index"


def index_dir(data_dir: Path) -> Path:
    """Where the index of a data directory lives."""
    return Path(data_dir) / INDEX_DIRNAME
