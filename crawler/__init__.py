"""The crawler: polite, incremental, resumable crawling of news sites into the corpus store.

Usage::

    from crawler import crawl, extract_page
    summary = crawl(store, settings, ["https://www.mpt.gov.by/ru/news"])

Parts with narrow contracts: site profiles as data (``sites.toml``), a frontier kept in the store,
per-host politeness slots, retry as a pure function (``next_attempt``), an injected
``httpx.AsyncClient``, and ``extract_page`` turning one page into document fields.
See docs/crawling.md.
"""

from __future__ import annotations

from crawler._as_crawled import extract_as_crawled, profile_of
from crawler._crawl import CrawlSummary, crawl, fetch_url
from crawler._dates import parse_date
from crawler._extract import ExtractedPage, extract_page
from crawler._files import FileLimits
from crawler._ingest import FILE_SUFFIXES, IngestSummary, ingest, read_document_file
from crawler._lang import detect_lang
from crawler._local import MAX_LOCAL_BYTES, read_local_file
from crawler._profiles import SiteProfile, generic_profile, load_profiles, profile_for
from crawler._repeats import RepeatTable, learn_repeats
from crawler._repeats_store import (
    REPEATS_META_KEY,
    apply_repeats,
    clear_repeats,
    learn_store_repeats,
    stored_repeats,
)
from crawler._retry import RetryPolicy, next_attempt
from crawler._urls import normalize_url

__all__ = [
    "FILE_SUFFIXES",
    "MAX_LOCAL_BYTES",
    "REPEATS_META_KEY",
    "CrawlSummary",
    "ExtractedPage",
    "FileLimits",
    "IngestSummary",
    "RepeatTable",
    "RetryPolicy",
    "SiteProfile",
    "apply_repeats",
    "clear_repeats",
    "crawl",
    "detect_lang",
    "extract_as_crawled",
    "extract_page",
    "fetch_url",
    "generic_profile",
    "ingest",
    "learn_repeats",
    "learn_store_repeats",
    "load_profiles",
    "next_attempt",
    "normalize_url",
    "parse_date",
    "profile_for",
    "profile_of",
    "read_document_file",
    "read_local_file",
    "stored_repeats",
]
