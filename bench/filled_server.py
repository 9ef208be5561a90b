"""The server database the team-mode benches measure: bench_ui's records on a PostgreSQL server.

    with filled_server(url_or_None, records) as (url, started):
        ...

Without a URL a throwaway server is started in a temporary folder (tests/postgres_server.py)
and removed afterwards (unless `keep`); `started` is that server, else None. The database is
set up at this version's schema, filled (unless `fill` is False: an existing database is
measured as it is) and analysed.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


@contextlib.contextmanager
def filled_server(url: str | None, records: int, *, fill: bool = True, keep: bool = False
                  ) -> Iterator[tuple[Any, Any]]:
    import psycopg
    from bench_ui import build_database

    from cscdesk.store import server as store_server
    from cscdesk.store.location import ServerURL

    started = None
    if url is None:
        from postgres_server import PostgresServer

        started = PostgresServer.start()
        with psycopg.connect(started.url("postgres"), autocommit=True) as connection:
            connection.execute("CREATE DATABASE bench")
        url = started.url("bench")
    server = ServerURL(url)
    try:
        if fill:
            store_server.setup(server)
            began = time.perf_counter()
            build_database(server, records)  # type: ignore[arg-type]
            with psycopg.connect(server.url, autocommit=True) as connection:
                connection.execute("VACUUM ANALYZE")
            print(f"server: {records:,} records written in {time.perf_counter() - began:.1f} s",
                  flush=True)
        yield server, started
    finally:
        if started is not None and keep:
            print(f"server left running: {server.url} (stop: pg_ctl -D {started.data} stop)")
        elif started is not None:
            started.stop()
