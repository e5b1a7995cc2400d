"""The lean transport over TLS: a real HTTPS server on 127.0.0.1 with a self-signed certificate.

Certificates are verified (an unknown issuer is a connect error) and a trusted one works.
"""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from pathlib import Path

import httpx
import pytest

from crawler._transport import LeanTransport


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    assert shutil.which("openssl"), "the openssl command is missing (Debian package openssl)"
    folder = tmp_path_factory.mktemp("tls")
    key, crt = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(crt), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, crt


async def _https_get(cert: tuple[Path, Path], client_ctx: ssl.SSLContext | None) -> httpx.Response:
    key, crt = cert
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(crt, key)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            body = "Привет по TLS".encode()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
                         b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)  # fmt: skip
            await writer.drain()
        except (OSError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=server_ctx)
    port = server.sockets[0].getsockname()[1]
    transport = LeanTransport(max_connections=2, max_keepalive=2, ssl_context=client_ctx)
    try:
        async with httpx.AsyncClient(transport=transport, timeout=5) as client:
            response = await client.get(f"https://127.0.0.1:{port}/")
            await response.aread()
            return response
    finally:
        server.close()
        await server.wait_closed()


def test_trusted_certificate(cert: tuple[Path, Path]) -> None:
    ctx = ssl.create_default_context(cafile=str(cert[1]))
    response = asyncio.run(_https_get(cert, ctx))
    assert response.status_code == 200 and response.text == "Привет по TLS"


def test_unknown_issuer_is_refused(cert: tuple[Path, Path]) -> None:
    with pytest.raises(
        httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED|certificate verify failed"
    ):
        asyncio.run(_https_get(cert, None))  # the default context: system/certifi roots only
