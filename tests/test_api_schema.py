"""Property-based tests of the HTTP API against its own OpenAPI document (schemathesis).

Every operation of ``/openapi.json`` gets generated requests, valid and invalid (hypothesis); each
answer must not be a server error and must match the document: status code, content type,
headers, and the body's schema. The API serves the demo data (tests/_watch_demo.py) without a
token (tests/test_api.py checks the token).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests._api_server import api_server
from tests._watch_demo import session_demo


@pytest.fixture(scope="module")
def api_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with api_server(session_demo(tmp_path_factory).data) as url:
        yield url


def _document() -> dict[str, Any]:
    """The OpenAPI document, generated from the code (the one ``/openapi.json`` serves)."""
    from webapi import create_app

    return create_app(Path("/nonexistent")).openapi()


schema = schemathesis.openapi.from_dict(_document())


def test_the_document_is_the_served_one(api_url: str) -> None:
    import httpx

    assert httpx.get(api_url + "/openapi.json").json() == _document()


def test_the_document_covers_every_route() -> None:
    paths = set(_document()["paths"])
    assert paths == {
        "/api/search", "/api/facts", "/api/documents/{doc_id}",
        "/api/documents/{doc_id}/versions/{version}", "/api/regions", "/api/watches",
        "/api/watches/{name}", "/api/watches/{name}/feed.atom", "/api/health",
    }  # fmt: skip


def only_queries_are_refused(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schema-valid requests are answered, except a query the search syntax cannot parse (400).

    Stands in for schemathesis's ``positive_data_acceptance``: the query language is not
    something a JSON schema can say, so a 400 is right for a ``q`` that does not parse.
    """
    if case.meta is not None and "negative" in str(case.meta.generation.mode).lower():
        return None
    if response.status_code == 400:
        assert (case.query or {}).get("q"), "400 without a query"
        assert response.json()["error"], "400 without a message"
        return True
    assert response.status_code < 400 or response.status_code in (404, 503), response.text
    return True


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: Any, api_url: str) -> None:
    case.call_and_validate(
        base_url=api_url,
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
        additional_checks=[only_queries_are_refused],
    )
