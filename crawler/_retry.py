"""When to try a URL again: a pure function of the attempt count and what went wrong.

>>> policy = RetryPolicy(retries=3, backoff=1.0, retry_after_cap=120.0, jitter=0.0)
>>> next_attempt(0, 503, None, policy)
1.0
>>> next_attempt(1, "connect", None, policy)
2.0
>>> next_attempt(0, 429, 30.0, policy)
30.0
>>> next_attempt(3, 500, None, policy) is None
True
>>> next_attempt(0, 404, None, policy) is None
True
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

__all__ = ["RETRYABLE_ERRORS", "RetryPolicy", "next_attempt", "parse_retry_after"]

# Transport failures worth another try (names given by the fetcher).
RETRYABLE_ERRORS = frozenset({"connect", "read", "timeout", "reset", "protocol"})


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """How often and how patiently to retry. ``jitter`` is the fraction of random spread."""

    retries: int = 3
    backoff: float = 1.0
    retry_after_cap: float = 120.0
    jitter: float = 0.25


def next_attempt(
    attempts: int, error: int | str, retry_after: float | None, policy: RetryPolicy
) -> float | None:
    """Seconds to wait before the next try, or None to give up.

    ``attempts`` counts the retries already made; ``error`` is an HTTP status or a transport
    error name (see ``RETRYABLE_ERRORS``). 429 and 5xx are retried, honouring ``Retry-After``
    up to the cap (a longer demand gives up); other statuses are final.
    """
    if attempts >= policy.retries:
        return None
    if isinstance(error, int):
        if error != 429 and not 500 <= error <= 599:
            return None
    elif error not in RETRYABLE_ERRORS:
        return None
    if retry_after is not None:
        if retry_after > policy.retry_after_cap:
            return None
        return max(0.0, retry_after)
    delay: float = policy.backoff * 2.0**attempts
    if policy.jitter:
        delay *= 1 + random.uniform(-policy.jitter, policy.jitter)
    return min(delay, policy.retry_after_cap)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)
