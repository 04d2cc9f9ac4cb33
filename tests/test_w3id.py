"""The w3id.org redirect rules (#14 item 1): ``w3id/.htaccess`` under Debian's Apache, on
127.0.0.1, sends the graph's IRIs to a running ``pdkg serve``, which answers them."""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rdflib import Graph, URIRef

from loopback import free_port, require_binary, wait_until_up

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "w3id" / ".htaccess"
PLACEHOLDER = "https://pdkg.example.org"
MODULES = Path("/usr/lib/apache2/modules")


@pytest.fixture(scope="module")
def w3id(site_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Apache on 127.0.0.1 serving the rules as w3id.org's ``pdkg`` folder, pointed at
    ``pdkg serve``: the base URL that stands for ``https://w3id.org/pdkg``."""
    apache = require_binary(
        shutil.which("apache2", path="/usr/sbin:" + os.environ.get("PATH", "")),
        "Apache is not installed (apt-get install apache2-bin; .ci/run does)",
    )
    root = tmp_path_factory.mktemp("apache")
    # as root Apache serves as nobody, who cannot enter pytest's private temporary folders
    www = Path(tempfile.mkdtemp(prefix="pdkg-w3id-"))
    www.chmod(0o755)
    folder = www / "pdkg"
    folder.mkdir()
    rules = RULES.read_text(encoding="utf-8")
    assert rules.count(PLACEHOLDER) == 1  # the host is named in one place
    (folder / ".htaccess").write_text(rules.replace(PLACEHOLDER, site_url), encoding="utf-8")
    folder.chmod(0o755)
    (folder / ".htaccess").chmod(0o644)
    user = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    port = free_port()
    modules = ("mpm_event", "authz_core", "rewrite")
    (root / "httpd.conf").write_text(
        "".join(f"LoadModule {m}_module {MODULES}/mod_{m}.so\n" for m in modules)
        + f"ServerRoot {root}\nListen 127.0.0.1:{port}\nServerName 127.0.0.1\n"
        f"PidFile {root}/httpd.pid\nErrorLog {root}/error.log\nLogLevel warn\n"
        f"{user}DocumentRoot {www}\n"
        f"<Directory {www}>\n  AllowOverride All\n  Require all granted\n</Directory>\n",
        encoding="utf-8",
    )
    server = subprocess.Popen(
        [apache, "-X", "-f", str(root / "httpd.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/pdkg"

    def ready() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("HEAD", "/")
        connection.getresponse()
        connection.close()

    try:
        wait_until_up(
            server,
            ready,
            lambda: (root / "error.log").read_text() if (root / "error.log").exists() else "",
        )
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(www, ignore_errors=True)


def redirect(url: str, method: str = "GET", accept: str = "text/turtle") -> tuple[int, str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    connection.request(method, parts.path, headers={"Accept": accept})
    response = connection.getresponse()
    connection.close()
    return response.status, response.getheader("Location") or ""


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/resource/guangzhou", 303),
        ("/vocab/levels", 303),
        ("/ontology", 303),
        ("/dist/pdkg.trig", 302),
        ("/docs/index.html", 302),
        ("/query", 307),
    ],
)
def test_each_iri_is_sent_to_the_same_path_of_the_deployment(
    w3id: str, site_url: str, path: str, status: int
) -> None:
    assert redirect(w3id + path) == (status, site_url + path)


def test_a_posted_query_stays_a_post(w3id: str, site_url: str) -> None:
    assert redirect(w3id + "/query", method="POST") == (307, site_url + "/query")


def test_following_the_redirect_dereferences_the_resource(w3id: str) -> None:
    """What a Linked Data client does: ask w3id for Turtle, follow the 303, read the triples."""
    request = urllib.request.Request(
        w3id + "/resource/guangzhou", headers={"Accept": "text/turtle"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/turtle")
        graph = Graph().parse(data=response.read(), format="turtle")
    guangzhou = URIRef("https://w3id.org/pdkg/resource/guangzhou")
    assert (guangzhou, None, None) in graph


def test_a_path_the_graph_does_not_use_is_not_redirected(w3id: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(w3id + "/elsewhere", timeout=30)
    assert caught.value.code == 404
