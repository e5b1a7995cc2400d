"""Names of a package loaded on first use (PEP 562), so a one-shot command imports only what it touches.

A package keeps a table of its public names and the private module each lives in, and its
``__init__`` delegates to this module::

    def __getattr__(name: str) -> Any:
        return lazy_attribute(__name__, _WHERE, name)

    def __dir__() -> list[str]:
        return lazy_dir(__name__, _WHERE)
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from typing import Any

__all__ = ["lazy_attribute", "lazy_dir"]


def lazy_attribute(package: str, where: Mapping[str, str], name: str) -> Any:
    """``name`` from ``package``'s module ``where[name]``, kept in the package for the next use.

    >>> lazy_attribute("core", {"VestnikError": "errors"}, "VestnikError").__name__
    'VestnikError'
    >>> lazy_attribute("core", {}, "nothing")
    Traceback (most recent call last):
    ...
    AttributeError: module 'core' has no attribute 'nothing'
    """
    module = where.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{package}.{module}"), name)
    setattr(sys.modules[package], name, value)
    return value


def lazy_dir(package: str, where: Mapping[str, str]) -> list[str]:
    """The package's loaded names and its lazy ones, sorted."""
    return sorted(set(vars(sys.modules[package])) | set(where))
