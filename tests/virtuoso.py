"""A throw-away OpenLink Virtuoso 7.2 server on loopback, for the integration tests.

Virtuoso is the store users move to once the graph outgrows a file, so `pdkg push` and the
remote commands are tested against a real one, not only Oxigraph. `virtuoso_server(directory)`
writes a minimal virtuoso.ini (database, temp database and logs all in `directory`), starts
`virtuoso-t +foreground` with its HTTP and ISQL servers on free 127.0.0.1 ports, waits until
/sparql answers `ASK {}` (a fresh database takes ~2.7 s), yields, and stops the process.

Access: /sparql is anonymous and read-only (the "SPARQL" user lacks SPARQL_UPDATE, and this
helper deliberately does not grant it: `isql('GRANT SPARQL_UPDATE TO "SPARQL"')` would).
/sparql-auth wants HTTP Digest auth (realm "SPARQL"; Basic gets 401); a new database's dba/dba
may run SPARQL Update there out of the box. Quirks met in 7.2: one INSERT DATA block holds at
most ~4990 N-Triples lines (SP030 "memory exhausted") and a request at most ~10 MB; answers
(CONSTRUCT too, silently) stop at ResultSetMaxRows; POSTing application/sparql-query hangs.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from loopback import free_port, require_binary

STARTUP_DEADLINE = 60.0  # seconds; ~2.7 s here, CI machines can be much slower
ISQL_QUIET = ("VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF", "ERRORS=STDOUT")


def virtuoso_binary() -> str:
    """Debian's `virtuoso-t` (skip locally, fail in CI, if missing)."""
    return require_binary(
        shutil.which("virtuoso-t"),
        "the Virtuoso server is not installed (apt-get install virtuoso-opensource-7-bin)",
    )


@dataclass(frozen=True)
class Virtuoso:
    """A running server: its endpoints, the dba credentials, its ISQL port and directory."""

    sparql: str  # anonymous, read-only
    sparql_auth: str  # HTTP Digest auth; SPARQL Update allowed for dba
    user: str
    password: str
    isql_port: int
    directory: Path  # inside DirsAllowed: files here can be bulk loaded with ld_dir

    def isql(self, *statements: str) -> str:
        """Run SQL statements (GRANTs, ld_dir + rdf_loader_run...) through isql-vt.

        Returns isql's output; raises RuntimeError if any statement failed.
        """
        binary = shutil.which("isql-vt", path=str(Path(virtuoso_binary()).parent)) or "isql-vt"
        script = "".join(statement.rstrip().rstrip(";") + ";\n" for statement in statements)
        done = subprocess.run(
            [binary, f"127.0.0.1:{self.isql_port}", self.user, self.password, *ISQL_QUIET],
            input=script,
            capture_output=True,
            text=True,
            timeout=300,
        )
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:  # isql exits 0 after SQL errors
            raise RuntimeError(f"isql-vt failed ({done.returncode}):\n{output}")
        return output


def _ini(directory: Path, http_port: int, isql_port: int) -> str:
    d = directory.resolve()
    return f"""\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{isql_port}
DisableUnixSocket = 1
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
ServerThreads = 8
MaxClientConnections = 8

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 60
"""


def _ready(server: Virtuoso) -> bool:
    ask = server.sparql + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    try:
        with urllib.request.urlopen(ask, timeout=1) as response:
            if response.status != 200:
                return False
        with socket.create_connection(("127.0.0.1", server.isql_port), timeout=1):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def virtuoso_server(directory: Path) -> Iterator[Virtuoso]:
    """Run a fresh Virtuoso with all its files in `directory`; yield it, then stop it."""
    binary = virtuoso_binary()
    directory.mkdir(parents=True, exist_ok=True)
    http_port, isql_port = free_port(), free_port()
    while isql_port == http_port:
        isql_port = free_port()
    config = directory / "virtuoso.ini"
    config.write_text(_ini(directory, http_port, isql_port), encoding="utf-8")
    base = f"http://127.0.0.1:{http_port}"
    server = Virtuoso(base + "/sparql", base + "/sparql-auth", "dba", "dba", isql_port, directory)
    log_path = directory / "virtuoso.out"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(config)],
            cwd=directory,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            stop = time.monotonic() + STARTUP_DEADLINE
            while not _ready(server):
                if process.poll() is not None:
                    tail = log_path.read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"virtuoso-t exited with {process.returncode}:\n{tail}")
                if time.monotonic() > stop:
                    raise TimeoutError(f"{server.sparql} not ready after {STARTUP_DEADLINE} s")
                time.sleep(0.1)
            yield server
        finally:
            process.terminate()  # SIGTERM: "quick shutdown", ~0.05 s
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
