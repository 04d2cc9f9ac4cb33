"""grlc for real (#14): the saved queries declare their parameters the way grlc 1.3.11 reads them.

grlc's own functions read each query's parameters and paste values into its text; the pasted
query must give the rows pdkg's binder gives. Then the real grlc server (gunicorn, local mode, on
127.0.0.1) serves ``queries/`` against a running ``pdkg serve``, and a parameterised call answers
what ``pdkg query`` answers.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from loopback import free_port, wait_until_up
from parity import same_answer, size
from pdkg.query.engine import run_local
from pdkg.query.saved import SavedQuery, load_queries
from pdkg.query.table import ResultTable

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
QUERIES = load_queries(ROOT / "queries")
# grlc reads the parameters of SELECT and CONSTRUCT queries only (it serves ASK without any)
SERVED = sorted(n for n, q in QUERIES.items() if q.form in ("SELECT", "CONSTRUCT"))
PARAMETERISED = [n for n in SERVED if QUERIES[n].params]
# the datatype grlc writes for each pdkg type
DATATYPE = {"date": "xsd:date", "year": "xsd:gYear", "integer": "xsd:integer"}
APP = "grlc.server:app"
GUANGZHOU = "https://w3id.org/pdkg/resource/guangzhou"


@pytest.fixture(scope="module")
def gquery(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """grlc's query module (it reads ``config.ini`` from the working directory on import)."""
    here = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("grlc-import"))
    try:
        from grlc import gquery
    finally:
        os.chdir(here)
    return gquery


def grlc_metadata(gquery: Any, name: str) -> dict[str, Any]:
    metadata: dict[str, Any] = gquery.get_metadata(QUERIES[name].text, "http://127.0.0.1:9/")
    return metadata


def filled(query: SavedQuery, *, example: bool) -> dict[str, str]:
    """The values grlc must be given — each default (grlc only offers it) and the example's
    value of each parameter without one — and with ``example`` the whole example."""
    values = {p.name: p.default for p in query.params if p.default is not None}
    values |= {p.name: query.example[p.name] for p in query.params if p.required}
    return {**values, **(query.example if example else {})}


@pytest.mark.parametrize("name", SERVED)
def test_grlc_reads_the_parameters_pdkg_reads(gquery: Any, name: str) -> None:
    query = QUERIES[name]
    found = grlc_metadata(gquery, name)["parameters"]
    assert sorted(found) == sorted(p.name for p in query.params)
    for param in query.params:
        theirs = found[param.name]
        assert theirs["original"] == "?" + param.var
        # required in grlc: a value must come with the call; pdkg fills in the default itself
        assert theirs["required"] == (param.required or param.default is not None)
        assert theirs.get("default") == param.default
        assert theirs.get("enum", []) == sorted(param.enum)
        assert (theirs.get("format") == "iri") == (param.type in ("iri", "endpoint"))
        assert theirs.get("datatype") == DATATYPE.get(param.type)
        assert theirs.get("lang") == param.lang


@pytest.mark.parametrize("example", [False, True], ids=["defaults", "example"])
@pytest.mark.parametrize("name", PARAMETERISED)
def test_grlc_pasted_values_give_the_rows_pdkg_binds(
    gquery: Any, release_store: ox.Store, request: pytest.FixtureRequest, name: str, example: bool
) -> None:
    """grlc pastes the values into the text; pdkg binds them as terms: the same answer (a
    federated query asks the Wikidata snapshot on loopback)."""
    query = QUERIES[name]
    values = filled(query, example=example)
    if "graph" in values:  # the operations queries read a named graph, as pdkg push writes it
        release_store = in_graph(release_store, values["graph"])
    for param in query.params:
        if param.type == "endpoint":
            values[param.name] = request.getfixturevalue("wikidata_endpoint")
    metadata = grlc_metadata(gquery, name)
    pasted = gquery.rewrite_query(metadata["original_query"], metadata["parameters"], values)
    for param in query.params:
        assert ("?" + param.var in pasted) == (param.name not in values)
    theirs = run_local(dataclasses.replace(query, text=pasted, params=()), release_store)
    ours = run_local(query, release_store, values)
    assert same_answer(ours, theirs)
    assert size(ours) > 0  # an answer to compare, not two empty ones


def in_graph(store: ox.Store, graph: str) -> ox.Store:
    named = ox.Store()
    named.extend(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph)) for q in store)
    return named


def test_grlc_pastes_the_endpoint_into_service(gquery: Any) -> None:
    metadata = grlc_metadata(gquery, "sister-cities-wikidata")
    values = filled(QUERIES["sister-cities-wikidata"], example=True)
    pasted = gquery.rewrite_query(metadata["original_query"], metadata["parameters"], values)
    assert f"SERVICE <{values['wikidata']}>" in pasted
    assert f"<{values['cityItem']}> wdt:P190 ?item" in pasted


@pytest.fixture(scope="module")
def grlc_url(site_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """grlc 1.3.11 under gunicorn on 127.0.0.1, serving ``queries/`` against ``pdkg serve``."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    assert gunicorn, "gunicorn comes with grlc (pip install -e .[dev])"
    directory = tmp_path_factory.mktemp("grlc")  # grlc reads config.ini where it runs
    (directory / "config.ini").write_text(
        f"[defaults]\nsparql_endpoint = {site_url}/query\n"
        f"[local]\nlocal_sparql_dir = {ROOT / 'queries'}\n"
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with (directory / "grlc.log").open("wb") as log:
        server = subprocess.Popen(
            [gunicorn, "--bind", f"127.0.0.1:{port}", "--workers=1", "--no-control-socket", APP],
            cwd=directory,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            wait_until_up(
                server,
                lambda: urllib.request.urlopen(url + "/api-local/swagger", timeout=30).close(),
                lambda: (directory / "grlc.log").read_text(),
            )
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)


def grlc_csv(url: str, name: str, values: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    call = f"{url}/api-local/{name}.csv?{urllib.parse.urlencode(values)}"
    # grlc fails (500) on a request without Accept, which browsers and curl always send
    request = urllib.request.Request(call, headers={"Accept": "text/csv"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            text = response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"grlc answered {exc.code}: {exc.read().decode()[:500]}") from exc
    header, *rows = list(csv.reader(io.StringIO(text)))
    return header, rows


def as_csv(table: ResultTable) -> tuple[list[str], list[list[str]]]:
    header, *rows = list(csv.reader(io.StringIO(table.to_csv())))
    return header, rows


def lists_sorted(query: SavedQuery, header: list[str], rows: list[list[str]]) -> list[list[str]]:
    """Rows with each GROUP_CONCAT list sorted, as pdkg's result layer sorts them."""
    at = {header.index(c): sep for c, sep in query.lists.items() if c in header}

    def cell(i: int, value: str) -> str:
        return at[i].join(sorted(value.split(at[i]))) if i in at and value else value

    return sorted([cell(i, value) for i, value in enumerate(row)] for row in rows)


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("sister-cities", {"city": GUANGZHOU}),
        ("sister-cities", {"city": GUANGZHOU, "date": "1990-01-01"}),
        ("visits", {"year": "2013", "direction": "incoming"}),
        ("control-chain", {"actor": QUERIES["control-chain"].params[0].default or ""}),
    ],
)
def test_grlc_serves_a_query_against_pdkg_serve(
    grlc_url: str, release_store: ox.Store, name: str, values: dict[str, str]
) -> None:
    query = QUERIES[name]
    header, rows = grlc_csv(grlc_url, name, values)
    local = run_local(query, release_store, values)
    assert isinstance(local, ResultTable)
    assert local.rows
    expected_header, expected = as_csv(local)
    assert header == expected_header
    assert lists_sorted(query, header, rows) == sorted(expected)


def test_grlc_sister_cities_of_guangzhou_are_not_guangzhou(grlc_url: str) -> None:
    """The bug the issue saw: without a city parameter grlc answered every pair."""
    header, rows = grlc_csv(grlc_url, "sister-cities", {"city": GUANGZHOU})
    partners = {row[header.index("partnerLabel")] for row in rows}
    assert "Guangzhou" not in partners
    assert "Los Angeles" in partners


def test_grlc_offers_the_declared_parameters(grlc_url: str) -> None:
    import json

    with urllib.request.urlopen(grlc_url + "/api-local/swagger", timeout=60) as response:
        spec = json.load(response)
    operations = {path.rsplit("/", 1)[-1]: ops["get"] for path, ops in spec["paths"].items()}
    city = next(p for p in operations["sister-cities"]["parameters"] if p["name"] == "city")
    assert (city["required"], city["default"], city["format"]) == (True, GUANGZHOU, "iri")
    direction = next(p for p in operations["visits"]["parameters"] if p["name"] == "direction")
    assert (direction["required"], direction["enum"]) == (False, ["incoming", "outgoing"])
