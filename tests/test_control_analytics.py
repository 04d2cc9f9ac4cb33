"""Issue #13: strength, weighted paths, robustness, coverage, slices, multilayer and chains.

Expected values come from the chapter's tables (quoted below), from the hand-made network of
tests/data/analytics/control.ttl, or from networks built here whose answers follow from their
shape.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from pdkg import analytics, cli
from pdkg.analytics.communities import components
from pdkg.analytics.coverage import coverage
from pdkg.analytics.multilayer import multilayer, parse_weights
from pdkg.analytics.robustness import positions, robustness
from pdkg.analytics.sources import Sources
from pdkg.errors import ChoiceError, ResourceNotFoundError
from pdkg.query.target import Target

ROOT = Path(__file__).resolve().parents[1]
HAND = ROOT / "tests" / "data" / "analytics" / "control.ttl"
R = "https://w3id.org/pdkg/resource/"
#: Table 3.2, 2011, column 'Incoming', as printed: "Madrid Lisbon Frankfurt 2 Cairo Melbourne
#: Vancouver Istambul2 Houston Fukuoka Tokyo Hanoi Auckland 2 Singapore (North East district)
#: Los Angeles Tampere Bing Duang (Vietnam)"; a place without a number is one visit
TABLE_3_2_2011_INCOMING = {
    "Madrid": 1, "Lisbon": 1, "Frankfurt": 2, "Cairo": 1, "Melbourne": 1, "Vancouver": 1,
    "Istambul": 2, "Houston": 1, "Fukuoka": 1, "Tokyo": 1, "Hanoi": 1, "Auckland": 2,
    "Singapore (North East district)": 1, "Los Angeles": 1, "Tampere": 1, "Bing Duang": 1,
}  # fmt: skip


def run(*args: str) -> tuple[int, str, str]:
    """A command on the chapter's graph (graph/, without the national layer of #15)."""
    chapter = ["--data", str(ROOT / "graph")]
    result = CliRunner().invoke(
        cli.main, ["--root", str(ROOT), *args, *chapter], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


# --- strength and weighted paths -------------------------------------------------------------


def test_guangzhou_2011_incoming_strength_is_table_3_2s_printed_counts(chapter: Target) -> None:
    visits = analytics.network(chapter.fetch, layer="visits", year=2011)
    strength = analytics.compute(visits, "in-strength")[R + "guangzhou"]
    degree = analytics.compute(visits, "in-degree")[R + "guangzhou"]
    assert strength == sum(TABLE_3_2_2011_INCOMING.values())  # 19 visits
    assert degree == len(TABLE_3_2_2011_INCOMING)  # from 16 places
    incoming = analytics.network(chapter.fetch, layer="visits", year=2011, kinds=["incoming"])
    assert analytics.compute(incoming, "in-strength")[R + "guangzhou"] == strength


def test_strength_is_the_degree_where_every_edge_weighs_one(hand: Target) -> None:
    graph = analytics.network(hand.fetch, layer="control")
    assert analytics.compute(graph, "in-strength") == analytics.compute(graph, "in-degree")
    assert analytics.compute(graph, "out-strength") == analytics.compute(graph, "out-degree")


def test_weighted_paths_are_shorter_along_heavier_ties() -> None:
    # a -> c directly with 1 visit, or a -> b -> c with 4 visits each: 1/4 + 1/4 < 1
    graph = nx.DiGraph([("a", "c", {"weight": 1}), ("a", "b", {"weight": 4})])
    graph.add_edge("b", "c", weight=4)
    graph.graph["layer"] = "visits"
    for node in graph:
        graph.nodes[node]["label"] = node
    assert analytics.compute(graph, "betweenness")["b"] == 0  # a -> c is one step
    assert analytics.compute(graph, "betweenness", weighted=True)["b"] == pytest.approx(1 / 2)


@pytest.mark.parametrize("measure", ["betweenness", "closeness"])
@pytest.mark.parametrize("year", [2011, 2014, 2015])
def test_weighted_measures_equal_the_networkx_reference(
    chapter: Target, measure: str, year: int
) -> None:
    visits = analytics.network(chapter.fetch, layer="visits", year=year)
    reference = analytics.compute(visits, measure, weighted=True, reference=True)
    assert analytics.compute(visits, measure, weighted=True) == pytest.approx(reference, abs=1e-9)


def test_weights_are_refused_where_they_mean_nothing(hand: Target) -> None:
    graph = analytics.network(hand.fetch, layer="control")
    with pytest.raises(ChoiceError, match="with edge weights"):
        analytics.compute(graph, "betweenness", weighted=True)
    code, _, err = run("centrality", "--measure", "closeness", "--weighted")
    assert code == 2
    assert err.count("\n") == 1
    assert "choose from visits" in err


# --- robustness -------------------------------------------------------------------------------


def _network(claims: list[tuple[str, str, str, str]]) -> nx.DiGraph:
    """A control network from (controlled, controller, claim, source) rows."""
    graph = nx.DiGraph(layer="control")
    for u, v, claim, source in claims:
        if not graph.has_edge(u, v):
            graph.add_edge(u, v, claims=[], claim_sources=[], claim_weights=[], weight=1)
        data = graph.edges[u, v]
        data["claims"].append(claim)
        data["claim_sources"].append(source)
        data["claim_weights"].append(1)
        data["sources"] = sorted(set(data["claim_sources"]))
    for node in graph:
        graph.nodes[node]["label"] = node
    return graph


def test_an_actor_known_from_one_source_falls_to_the_bottom_without_it() -> None:
    # hub controls a, b, c by table-1; d controls e by table-2 and again by report-3
    hub = [(node, "hub", f"c-{node}", "table-1") for node in "abc"]
    graph = _network([*hub, ("e", "d", "c4", "table-2"), ("e", "d", "c5", "report-3")])
    found = {i.node: i for i in robustness(graph, "reach", resamples=0)}
    assert (found["hub"].rank, found["hub"].rank_min) == (1, 1)
    # without table-1 the hub controls no one: it ties with the 5 others at 0, positions 2-6
    assert (found["hub"].rank_max, found["hub"].worst) == (6, "without table-1")
    # d's one edge rests on two sources: dropping either leaves it, so d never loses its reach
    assert found["d"].rank_max == 2
    assert (found["d"].band_min, found["d"].band_max) == (None, None)  # no random sample


def test_robustness_is_deterministic_and_holds_the_plain_rank(chapter: Target) -> None:
    graph = analytics.network(chapter.fetch, layer="control")
    for measure in ("reach", "in-degree", "betweenness", "pagerank"):
        first = robustness(graph, measure, resamples=12, seed=7)
        assert first == robustness(graph, measure, resamples=12, seed=7)
        plain = analytics.centrality(graph, measure=measure)
        assert [(i.node, i.rank) for i in first] == [(r.node, r.rank) for r in plain]
        assert all(i.rank_min <= i.rank <= i.rank_max for i in first)


def test_each_resample_drops_a_tenth_of_the_edges() -> None:
    # ten disjoint edges x_i -> y_i: dropping one leaves nine actors of reach 1
    graph = _network([(f"x{i}", f"y{i}", f"c{i}", "s") for i in range(10)])
    found = robustness(graph, "reach", resamples=30, seed=1)
    # each sample drops one of the ten edges: that edge's controller ties with the 10 others at
    # reach 0 (positions 10-20), the 9 others keep reach 1 (positions 1-9); "without s" drops
    # every edge (everyone at positions 1-20)
    controllers = [i for i in found if i.node.startswith("y")]
    assert all((i.rank_min, i.rank_max, i.band_min) == (1, 20, 1) for i in controllers)
    dropped = [i for i in controllers if i.worst.startswith("sample ")]
    assert dropped  # every sample drops some controller's edge
    for interval in controllers:
        if interval not in dropped:  # never dropped: at worst 9th in every sample
            assert (interval.worst, interval.band_max) == ("without s", 9)
        assert interval.band_max in (9, 20)


def test_a_tiny_layer_still_loses_an_edge_in_every_sample() -> None:
    # two edges: 10% rounds to none; each sample must drop one, or it tests nothing
    graph = _network([("a", "b", "c1", "s1"), ("c", "d", "c2", "s2")])
    found = {i.node: i for i in robustness(graph, "reach", resamples=20, seed=5)}
    # b and d each control one actor: a sample without b's edge puts b at 2-4, so at least one
    # of them falls to the bottom in some sample
    assert max(found["b"].band_max or 0, found["d"].band_max or 0) == 4
    assert {found["b"].worst, found["d"].worst} & {f"sample {k}" for k in range(1, 21)}


def test_positions_spread_ties() -> None:
    assert positions({"a": 2.0, "b": 2.0, "c": 1.0}) == {"a": (1, 2), "b": (1, 2), "c": (3, 3)}


def test_cli_robustness_columns_are_deterministic() -> None:
    args = ["centrality", "--top", "10", "--robustness", "8", "--seed", "3", "--format", "csv"]
    code, out, err = run(*args)
    assert code == 0, err
    assert run(*args)[1] == out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        *("rank", "node", "actor", "reach", "rankMin", "rankMax", "worstWhen"),
        *("band90Min", "band90Max"),
    ]
    assert len(rows) == 10
    for row in rows:
        assert int(row["rankMin"]) <= int(row["rank"]) <= int(row["rankMax"])
        assert int(row["rankMin"]) <= int(row["band90Min"]) <= int(row["band90Max"])
        assert int(row["band90Max"]) <= int(row["rankMax"])


# --- coverage and components ------------------------------------------------------------------


def test_coverage_of_the_hand_made_network(hand: Target) -> None:
    found = {c.node: c for c in coverage(analytics.network(hand.fetch, layer="control"))}
    office = found[R + "a-office"]  # s1, s4 (supervised) and h1 (its post, held by the director)
    assert (office.edges, office.claims, office.sources) == (3, 3, ((R + "a-source", 3),))
    assert found[R + "a-council"].claims == 2  # s3 and the approval
    assert found[R + "a-director"].claims == 2  # h1 and h2
    assert office.share == 1.0


def test_coverage_on_the_undirected_partnership_layer(chapter: Target) -> None:
    rows = chapter.fetch("network-partnerships").to_dicts()
    ties = {r["claim"] for r in rows if R + "guangzhou" in (r["source"], r["target"])}
    found = {c.node: c for c in coverage(analytics.network(chapter.fetch, layer="partnerships"))}
    assert found[R + "guangzhou"].claims == len(ties)  # each tie's claim counted once
    code, out, err = run("coverage", "--layer", "partnerships", "--top", "1", "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[1].startswith(f"Guangzhou,{R}guangzhou,")


def test_sichuan_ranks_by_what_table_3_1_lists(chapter: Target) -> None:
    graph = analytics.network(chapter.fetch, layer="control")
    table = Sources.of(chapter.fetch).resolve("Table 3.1")
    sichuan = next(c for c in coverage(graph) if c.node == R + "sichuan-peoples-government")
    # its edges from Table 3.1 are the supervisions of the bodies the table lists under it
    listed = [
        u
        for u, v, d in graph.in_edges(R + "sichuan-peoples-government", data=True)
        if d["claim_sources"] == [table]
    ]
    assert dict(sichuan.sources)[table] == len(listed) > sichuan.claims / 2


def test_components_partition_the_layer(chapter: Target) -> None:
    graph = analytics.network(chapter.fetch, layer="control")
    parts = components(graph)
    assert sorted(n for p in parts for n in p) == sorted(graph)
    assert [len(p) for p in parts] == sorted(
        (len(c) for c in nx.weakly_connected_components(graph)), reverse=True
    )
    code, _, err = run("centrality", "--explain", "--top", "3")
    assert code == 0
    assert f"has {len(parts)} connected components ({', '.join(str(len(p)) for p in parts)}" in err


# --- slices by kind and source ----------------------------------------------------------------


def test_kind_keeps_one_relation(hand: Target) -> None:
    graph = analytics.network(hand.fetch, layer="control", kinds=["guidance"])
    assert list(graph.edges) == [(R + "a-group", R + "a-central-group")]  # claim s5
    with pytest.raises(ChoiceError, match="'gossip' is not a kind of relation on the control"):
        analytics.network(hand.fetch, layer="control", kinds=["gossip"])


def test_source_keeps_its_claims_and_those_of_its_parts(chapter: Target) -> None:
    sources = Sources.of(chapter.fetch)
    table = sources.resolve("Table 3.1")
    assert sources.resolve("chapter-table-3-1") == sources.resolve("pdr:chapter-table-3-1") == table
    only = analytics.network(chapter.fetch, sources=sources.expand([table]))
    assert only.number_of_edges() > 0
    assert all(d["sources"] == [table] for _, _, d in only.edges(data=True))
    whole = analytics.network(chapter.fetch)
    chapter_iri = sources.resolve("chapter")
    parts = sources.expand([chapter_iri])
    assert {table, chapter_iri} <= parts
    in_chapter = analytics.network(chapter.fetch, sources=parts)
    from_chapter = [e for e, d in whole.edges.items() if set(d["claim_sources"]) & parts]
    assert sorted(in_chapter.edges) == sorted(from_chapter)
    with pytest.raises(ResourceNotFoundError, match=r"did you mean 'Table 3\.1'"):
        sources.resolve("Table 3.01")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["centrality", "--kind", "gossip"], "'gossip' is not a kind of relation"),
        (["centrality", "--source", "Table 3.9"], "is no source of the graph"),
        (["coverage", "--layer", "visits", "--source", "Table 3.1"], "no claim of the visits"),
        (["communities", "--layer", "party", "--kind", "approval"], "'approval' is not a kind"),
        (["multilayer", "--weights", "supervision=x"], "not a number"),
        (["multilayer", "--weights", "supervision=0"], "at least one layer"),
        (["multilayer", "--weights", "supervision=inf"], "give a finite number"),
        (["multilayer", "--weights", "supervision=nan"], "give a finite number"),
        (["multilayer", "--weights", "supervision=1,supervision=2"], "given twice"),
        (["chain", "state-council"], "none of its paths reaches one"),
        (["chain", "guangzhou-foreign-affairs-office", "--kind", "post-holding"], "reaches one"),
        (["chain", "guangzhou-foreign-affairs-office", "--source", "Table 3.1"], "in this slice"),
    ],
)
def test_bad_slices_are_one_line_errors(args: list[str], says: str) -> None:
    code, out, err = run(*args)
    assert (code, out) == (2, "")
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert says in err


def test_approvals_from_one_source() -> None:
    def cited(out: str) -> list[str]:
        return [line.split("source:")[1].strip() for line in out.splitlines() if "source:" in line]

    # trips abroad need approval by §3.2.1 and by §3.4; --source keeps one of them
    code, every, _ = run("approvals", "trip-abroad")
    assert code == 0
    assert sorted(locator.split(",")[0] for locator in cited(every)) == ["§3.2.1", "§3.4"]
    code, only, err = run("approvals", "trip-abroad", "--source", "§3.4")
    assert code == 0, err
    assert [locator.split(",")[0] for locator in cited(only)] == ["§3.4"]


# --- multilayer -------------------------------------------------------------------------------


def test_multilayer_by_hand(hand: Target) -> None:
    def build(layer: str) -> nx.DiGraph:
        return analytics.network(hand.fetch, layer=layer)

    ranked = multilayer(
        build, parse_weights("supervision=2,party=1", ["supervision", "party"]), "in-degree"
    )
    score = {c.label: c.score for c in ranked}
    # supervision in-degree 1 for each of the 5 supervisors (max 1); the director holds 2 posts
    for body in ("City Government", "Province Government", "Council", "Provincial Group"):
        assert score[body] == pytest.approx(2 / 3)
    assert score["Office Director"] == pytest.approx(1 / 3)
    assert score["Foreign Office"] == 0
    director = next(c for c in ranked if c.label == "Office Director")
    assert director.ranks == {"supervision": None, "party": 1}


# --- chains: hops -----------------------------------------------------------------------------


def test_chains_are_shortest_by_default_and_every_path_with_all(chapter: Target) -> None:
    graph = analytics.network(chapter.fetch, layer="control")
    fao = R + "guangzhou-foreign-affairs-office"
    shortest = analytics.chains(graph, fao)
    every = analytics.chains(graph, fao, every=True)
    for path in shortest:
        assert len(path) == nx.shortest_path_length(graph, fao, path[-1].target)
    tops = {p[-1].target for p in every}
    assert len(every) == sum(len(list(nx.all_simple_paths(graph, fao, t))) for t in tops)
    assert len(every) >= len(shortest)
    code, out, _ = run("chain", "guangzhou-foreign-affairs-office", "--all", "--format", "json")
    assert code == 0
    assert [p["steps"] for p in json.loads(out)] == [len(p) for p in every]
