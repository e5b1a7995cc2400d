"""Argument types of the ``vestnik`` command: a bad value is a usage error (exit 2) naming it."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from typing import TypeVar

__all__ = ["date", "number", "port", "seconds", "share", "two_or_more", "whole"]

N = TypeVar("N", int, float)


def number(
    cast: Callable[[str], N], kind: str, *, low: N, high: N | None = None, bounds: str
) -> Callable[[str], N]:
    """An argparse type: ``cast(value)`` within ``low``..``high``; ``kind`` and ``bounds`` name what
    was expected when the text is not a number or out of range.

    >>> percent = number(int, "a percentage", low=0, high=100, bounds="a percentage from 0 to 100")
    >>> percent("42")
    42
    >>> percent("142")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a percentage from 0 to 100, got '142'
    """

    def parse(value: str) -> N:
        try:
            parsed = cast(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {kind}, got {value!r}") from None
        if not (low <= parsed and (high is None or parsed <= high)):  # NaN is refused too
            raise argparse.ArgumentTypeError(f"expected {bounds}, got {value!r}")
        return parsed

    return parse


whole = number(int, "a whole number", low=0, bounds="a number >= 0")
two_or_more = number(int, "a whole number", low=2, bounds="a number >= 2")
port = number(int, "a port number", low=1, high=65535, bounds="a port from 1 to 65535")
seconds = number(float, "seconds", low=0.0, bounds="seconds >= 0")
share = number(float, "a share from 0 to 1", low=0.0, high=1.0, bounds="a share from 0 to 1")


def date(value: str) -> str:
    """An argparse type: a date ``YYYY-MM-DD``, as ISO text."""
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None
