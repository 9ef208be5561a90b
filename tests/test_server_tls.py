"""TLS as the URL asks (docs/server.md recommends sslmode=verify-full): a server of the test's
own with a certificate, on a TCP port of this machine. The connection is encrypted and the
settings say so; a certificate the PC does not trust is refused with a sentence."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from cscdesk.errors import DatabaseError
from cscdesk.store import server as store_server
from cscdesk.store.engine import open_database
from cscdesk.store.location import ServerURL
from cscdesk.store.server import connection_uses_tls

pytestmark = pytest.mark.postgresql


def certificate(folder: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for "localhost" and its key."""
    crt, key = folder / f"{name}.crt", folder / f"{name}.key"
    subprocess.run(["openssl", "req", "-new", "-x509", "-days", "2", "-nodes", "-subj",
                    "/CN=localhost", "-keyout", str(key), "-out", str(crt)],
                   check=True, capture_output=True)
    return crt, key


@pytest.fixture(scope="module")
def tls_server(postgres, tmp_path_factory: pytest.TempPathFactory):  # (only: is there one)
    from postgres_server import PostgresServer

    tmp_path = tmp_path_factory.mktemp("tls")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client_root, _ = certificate(tmp_path, "root")  # the same certificate, for the client

    def install_certificate(server: PostgresServer) -> None:
        for suffix in ("crt", "key"):
            target = server.data / f"server.{suffix}"
            target.write_bytes((tmp_path / f"root.{suffix}").read_bytes())
            os.chmod(target, 0o600)
            if server.account is not None:
                os.chown(target, server.account.pw_uid, server.account.pw_gid)

    server = PostgresServer.start(settings=(
        "ssl=on", "ssl_cert_file=server.crt", "ssl_key_file=server.key",
        "listen_addresses=localhost", f"port={port}"), before_start=install_certificate)
    try:
        import psycopg

        base = f"postgresql://postgres@localhost:{port}"
        with psycopg.connect(f"{base}/postgres?sslmode=require", autocommit=True) as admin:
            admin.execute("CREATE DATABASE cases")
        url = ServerURL(f"{base}/cases?sslmode=verify-full&sslrootcert={client_root}")
        store_server.setup(url)
        yield url, base
    finally:
        server.stop()


def test_verify_full_connects_encrypted_and_the_settings_say_so(tls_server, qtbot) -> None:
    from cscdesk.ui.dialog_service import ScriptedDialogs
    from cscdesk.ui.settings_pane import SettingsPane

    url, _base = tls_server
    database = open_database(url)
    try:
        with database.session() as session:
            assert connection_uses_tls(session) is True
        pane = SettingsPane(database, ScriptedDialogs())
        qtbot.addWidget(pane)
        pane.refresh()
        assert "connection to the server is encrypted (TLS)" in pane.encryption_label.text()
    finally:
        database.close()


def test_a_certificate_the_pc_does_not_trust_is_refused(tls_server, tmp_path: Path) -> None:
    _url, base = tls_server
    stranger, _ = certificate(tmp_path, "stranger")
    with pytest.raises(DatabaseError, match=r"Cannot use the server database .*certificate"):
        open_database(ServerURL(f"{base}/cases?sslmode=verify-full&sslrootcert={stranger}"))


def test_without_tls_the_settings_say_it_is_not_encrypted(tls_server, qtbot) -> None:
    from cscdesk.ui.dialog_service import ScriptedDialogs
    from cscdesk.ui.settings_pane import SettingsPane

    _url, base = tls_server
    database = open_database(ServerURL(f"{base}/cases?sslmode=disable"))
    try:
        pane = SettingsPane(database, ScriptedDialogs())
        qtbot.addWidget(pane)
        pane.refresh()
        assert "NOT encrypted" in pane.encryption_label.text()
    finally:
        database.close()
