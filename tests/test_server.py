"""Server mode: the ingest/retrieve/ask tests again, against a real `chroma run` server.

The same test functions as tests/test_ingest.py, tests/test_answer.py and tests/test_cli.py
are imported here (pytest collects them again in this module); an autouse fixture points
``ASSISTANT_CHROMA_HOST/PORT`` at the server and gives each test its own collection, and the
``built`` fixture is overridden by one indexed on the server. Then the server-only checks:
the data really lives on the server, a second client shares it, HTTPS and the bearer token
reach the server, and an unreachable server is a clear one-line error.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import StoreError
from tests.conftest import MODEL_CACHE, make_settings
from tests.support.chroma_server import ChromaServer, chroma_server, free_port  # noqa: F401
from tests.test_answer import (  # noqa: F401  (collected again, now against the server)
    test_answer_is_deterministic,
    test_answers_are_cited_and_verified,
    test_faq_question_retrieves_its_own_passage_in_top3,
    test_follow_up_uses_the_conversation,
    test_injected_instruction_is_treated_as_a_question,
    test_out_of_scope_is_refused_with_suggestions,
)
from tests.test_cli import (  # noqa: F401
    cli_env,
    test_ask_before_ingest_says_what_to_do,
    test_ingest_retrieve_ask_json_shapes,
    test_readable_answer_has_sources,
    test_stdin_mode_one_json_per_line,
)
from tests.test_ingest import (  # noqa: F401
    test_changed_document_replaces_its_chunks,
    test_chunk_metadata_points_into_the_file,
    test_deleted_document_loses_its_chunks,
    test_second_ingest_does_no_embedding_work,
    test_unreadable_file_is_skipped_and_nothing_is_lost,
)

pytestmark = pytest.mark.server


@pytest.fixture(autouse=True)
def _server_mode(chroma_server: ChromaServer, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Every Settings built in these tests (also from the CLI's env) targets the server."""
    monkeypatch.setenv("ASSISTANT_CHROMA_HOST", chroma_server.host)
    monkeypatch.setenv("ASSISTANT_CHROMA_PORT", str(chroma_server.port))
    monkeypatch.setenv("ASSISTANT_COLLECTION", f"t{uuid.uuid4().hex[:12]}")


@pytest.fixture(scope="module")
def built(  # noqa: F811
    chroma_server: ChromaServer,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
    kb_dir: Path,
) -> Assistant:
    """The real knowledge base indexed on the server (the embedded one is in conftest)."""
    a = Assistant(
        make_settings(
            tmp_path_factory.mktemp("server-data"),
            kb_dir,
            chroma_host=chroma_server.host,
            chroma_port=chroma_server.port,
            collection="built",
        )
    )
    a.ingest()
    return a


def _raw_client(server: ChromaServer):  # type: ignore[no-untyped-def]
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.HttpClient(
        host=server.host, port=server.port, settings=ChromaSettings(anonymized_telemetry=False)
    )


def test_the_index_lives_on_the_server(
    chroma_server: ChromaServer,  # noqa: F811
    tmp_path: Path,
    small_kb: Path,
) -> None:
    a = Assistant(make_settings(tmp_path / "data", small_kb))
    assert a.settings.chroma_host == chroma_server.host
    report = a.ingest()
    assert report.added > 0
    assert not (tmp_path / "data" / "chroma").exists()  # nothing embedded locally
    raw = _raw_client(chroma_server)
    chunks = raw.get_collection(f"{a.settings.collection}_chunks")
    sentences = raw.get_collection(f"{a.settings.collection}_sentences")
    assert chunks.count() == report.added == a.store.count()
    assert sentences.count() >= chunks.count()
    assert chunks.configuration_json["hnsw"]["space"] == "cosine"
    assert (chroma_server.path / "chroma.sqlite3").exists()


def test_a_second_client_shares_the_index_and_sees_new_writes(
    tmp_path: Path, small_kb: Path
) -> None:
    """Growing: any number of processes/hosts use one server; a reader sees a writer's work."""
    writer = Assistant(make_settings(tmp_path / "writer", small_kb))
    writer.ingest()
    reader = Assistant(make_settings(tmp_path / "reader", small_kb))  # its own data dir
    assert not reader.ask("Who prepares the annual budget?").refused
    assert "knowledge/gamma.md" not in {d.source for d in reader.documents()}

    (small_kb / "gamma.md").write_text(
        "# Gamma\n\n## Telehealth\n\nThe director oversees the telehealth programme and "
        "audits video consultations twice a year.\n"
    )
    writer.ingest()
    reader.store.refresh(force=True)
    answer = reader.ask("Who audits the video consultations of the telehealth programme?")
    assert not answer.refused
    assert answer.citations[0].source == "knowledge/gamma.md"


def test_unreachable_server_is_a_clear_error(
    tmp_path: Path, small_kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()  # nothing listens here
    a = Assistant(make_settings(tmp_path / "data", small_kb, chroma_port=port))
    with pytest.raises(StoreError, match=rf"Cannot open the Chroma server at 127\.0\.0\.1:{port}"):
        a.ingest()
    monkeypatch.setenv("ASSISTANT_CHROMA_PORT", str(port))
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(small_kb))
    monkeypatch.setenv("ASSISTANT_MODEL_CACHE_DIR", str(MODEL_CACHE))
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "Who prepares the budget?"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: Cannot open the Chroma server")


# -- HTTPS and the bearer token, through a TLS proxy in front of the real server ----------


class TlsRecordingProxy:
    """Terminates TLS with a self-signed certificate, forwards bytes to the Chroma server and
    records what clients sent, so a test can see the Authorization header arrive."""

    def __init__(self, upstream_port: int, cert: Path, key: Path) -> None:
        self.upstream_port = upstream_port
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(str(cert), str(key))
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.port = int(self.sock.getsockname()[1])
        self.received = bytearray()
        self.handshake_failures = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            tls = self.ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            with self._lock:
                self.handshake_failures += 1
            conn.close()
            return
        up = socket.create_connection(("127.0.0.1", self.upstream_port))
        threading.Thread(target=self._pump, args=(up, tls, False), daemon=True).start()
        self._pump(tls, up, True)

    def _pump(self, src: socket.socket, dst: socket.socket, record: bool) -> None:
        try:
            while data := src.recv(65536):
                if record:
                    with self._lock:
                        if len(self.received) < 4_000_000:
                            self.received += data
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture()
def tls_proxy(
    chroma_server: ChromaServer,  # noqa: F811
    tmp_path: Path,
) -> Iterator[tuple[TlsRecordingProxy, Path]]:
    openssl = shutil.which("openssl")
    if not openssl:
        pytest.skip("openssl is not installed: cannot make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    proxy = TlsRecordingProxy(chroma_server.port, cert, key)
    yield proxy, cert
    proxy.close()


def test_https_and_token_options_reach_the_server(
    tls_proxy: tuple[TlsRecordingProxy, Path], tmp_path: Path, small_kb: Path
) -> None:
    proxy, cert = tls_proxy
    token = f"tok-{uuid.uuid4().hex}"
    a = Assistant(
        make_settings(
            tmp_path / "data",
            small_kb,
            chroma_port=proxy.port,
            chroma_ssl=True,
            chroma_ca_file=cert,
            chroma_token=token,
        )
    )
    assert a.ingest().added > 0
    answer = a.ask("Who prepares the annual budget?")
    assert not answer.refused and answer.citations[0].source == "knowledge/alpha.md"
    sent = bytes(proxy.received).lower()
    assert f"authorization: bearer {token}".lower().encode() in sent
    assert proxy.handshake_failures == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"chroma_ssl": False}, "Cannot open the Chroma server"),  # plain HTTP to a TLS port
        ({"chroma_ssl": True}, r"TLS: .*certificate.*ASSISTANT_CHROMA_CA_FILE"),
    ],
    ids=["http-to-https-port", "untrusted-certificate"],
)
def test_tls_misconfiguration_is_a_clear_error(
    tls_proxy: tuple[TlsRecordingProxy, Path],
    tmp_path: Path,
    small_kb: Path,
    overrides: dict[str, object],
    message: str,
) -> None:
    proxy, _ = tls_proxy
    a = Assistant(make_settings(tmp_path / "data", small_kb, chroma_port=proxy.port, **overrides))
    with pytest.raises(StoreError, match=message):
        a.ingest()
