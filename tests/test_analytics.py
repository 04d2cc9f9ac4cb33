"""Control-chain analytics on a hand-made network (values computed by hand) and on the chapter."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from pdkg import analytics, cli
from pdkg.analytics.export import write_export
from pdkg.analytics.validity import Validity, validity
from pdkg.errors import ChoiceError
from pdkg.query.target import Target

ROOT = Path(__file__).resolve().parents[1]
HAND = ROOT / "tests" / "data" / "analytics" / "control.ttl"
R = "https://w3id.org/pdkg/resource/"


@pytest.mark.parametrize(
    ("layer", "year", "nodes", "edges"),
    [
        ("supervision", None, 6, 5),
        ("supervision", 2014, 5, 4),  # s1-s4 start in 2010, the guidance edge in 2015
        ("supervision", 2009, 0, 0),  # nothing yet
        ("supervision", 2015, 6, 5),
        ("approval", None, 2, 1),
        ("party", None, 3, 2),
        ("control", None, 9, 8),
        ("partnerships", None, 2, 1),
        ("visits", None, 3, 2),
        ("visits", 2013, 2, 1),
    ],
)
def test_layer_sizes(hand: Target, layer: str, year: int | None, nodes: int, edges: int) -> None:
    graph = analytics.network(hand.fetch, layer=layer, year=year)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (nodes, edges)


def test_edges_keep_kind_years_weight_and_locator(hand: Target) -> None:
    graph = analytics.network(hand.fetch, layer="visits")
    data = graph.edges[R + "a-city-government", R + "a-partner"]
    assert data == {  # the fixture's claim a-v1: 2 outgoing visits in 2013, from a-source
        "kinds": ["outgoing"],
        "relations": ["outgoing"],
        "weight": 2,
        "locators": ["§1, v1"],
        "years": [2013],
        "claims": [R + "a-v1"],
        "claim_sources": [R + "a-source"],
        "claim_weights": [2],
        "sources": [R + "a-source"],
    }
    control = analytics.network(hand.fetch, layer="control")
    assert control.edges[R + "a-group", R + "a-central-group"]["kinds"] == ["guidance"]
    assert control.nodes[R + "a-council"]["classes"].split() == ["CentralBody", "Government"]


def test_reach_ranking_with_ties_broken_by_label(hand: Target) -> None:
    ranked = analytics.centrality(analytics.network(hand.fetch), measure="reach")
    assert [(r.rank, r.label, r.value) for r in ranked] == [
        (1, "Council", 4.0),  # province government, city government, office, city (approval)
        (2, "Central Leading Group", 2.0),
        (3, "Office Director", 2.0),
        (4, "Province Government", 2.0),
        (5, "City Government", 1.0),
        (6, "Provincial Group", 1.0),
        (7, "Foreign Office", 0.0),
        (8, "Friendship Branch", 0.0),
        (9, "Test City", 0.0),
    ]


def test_degree_betweenness_closeness_by_hand(hand: Target) -> None:
    graph = analytics.network(hand.fetch)
    values = {
        m: analytics.compute(graph, m)
        for m in ("in-degree", "out-degree", "betweenness", "closeness")
    }
    assert values["in-degree"][R + "a-council"] == 2
    assert values["in-degree"][R + "a-director"] == 2
    assert values["out-degree"][R + "a-office"] == 3
    # directed, normalised by (n-1)(n-2) = 56: the city government lies on office->province and
    # office->council, the province government on office->council and city government->council
    assert values["betweenness"][R + "a-city-government"] == pytest.approx(2 / 56)
    assert values["betweenness"][R + "a-province-government"] == pytest.approx(2 / 56)
    assert values["betweenness"][R + "a-group"] == pytest.approx(1 / 56)
    assert values["betweenness"][R + "a-council"] == 0
    # inward distances to the council: 1, 1, 2, 3 from 4 of 8 others (Wasserman-Faust scaled)
    assert values["closeness"][R + "a-council"] == pytest.approx((4 / 7) * (4 / 8))


def test_pagerank_on_a_cycle_is_uniform() -> None:
    cycle = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")])
    for node in cycle:
        cycle.nodes[node]["label"] = node
    values = analytics.compute(cycle, "pagerank")
    assert values == pytest.approx({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})


@pytest.mark.parametrize("measure", ["betweenness", "closeness", "pagerank"])
def test_igraph_gives_the_networkx_reference_values(hand: Target, measure: str) -> None:
    graph = analytics.network(hand.fetch)
    reference = analytics.compute(graph, measure, reference=True)
    assert analytics.compute(graph, measure) == pytest.approx(reference, abs=1e-5)


def test_betweenness_is_sampled_only_on_large_undirected_layers(
    chapter: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    partners = analytics.network(chapter.fetch, layer="partnerships")
    exact = analytics.compute(partners, "betweenness", reference=True)
    monkeypatch.setattr(analytics, "SAMPLES", 3)
    assert analytics.compute(partners, "betweenness") == pytest.approx(exact, abs=1e-9)
    monkeypatch.setattr(analytics, "LARGE", 0)
    assert analytics.compute(partners, "betweenness") != pytest.approx(exact, abs=1e-9)


def test_results_are_identical_run_to_run(hand: Target) -> None:
    graph = analytics.network(hand.fetch)
    for measure in analytics.MEASURES:
        assert analytics.centrality(graph, measure=measure) == analytics.centrality(
            graph, measure=measure
        )


def test_unknown_layer_and_measure(hand: Target) -> None:
    with pytest.raises(ChoiceError, match="'gossip' is not a layer"):
        analytics.network(hand.fetch, layer="gossip")
    with pytest.raises(ChoiceError, match="'fame' is not a measure"):
        analytics.compute(nx.DiGraph(), "fame")


def test_chains_of_the_hand_made_office(hand: Target) -> None:
    graph = analytics.network(hand.fetch, year=2016)
    found = analytics.chains(graph, R + "a-office")
    assert [[s.target_label for s in path] for path in found] == [
        ["Provincial Group", "Central Leading Group"],
        ["City Government", "Province Government", "Council"],
    ]
    assert found[0][0].locators == ("§1, s4",)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv"])
def test_exports_reimport_with_the_same_counts(hand: Target, tmp_path: Path, fmt: str) -> None:
    graph = analytics.network(hand.fetch)
    out = tmp_path / ("tables" if fmt == "csv" else f"control.{fmt}")
    write_export(graph, out, fmt)
    if fmt == "csv":
        with (out / "edges.csv").open(encoding="utf-8") as handle:
            edges = list(csv.DictReader(handle))
        back = nx.DiGraph((e["source"], e["target"]) for e in edges)
        with (out / "nodes.csv").open(encoding="utf-8") as handle:
            labels = {row["id"]: row["label"] for row in csv.DictReader(handle)}
        assert labels[R + "a-council"] == "Council"
    else:
        back = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
        assert back.nodes[R + "a-council"]["label"] == "Council"
    assert (back.number_of_nodes(), back.number_of_edges()) == (9, 8)


# --- the chapter -----------------------------------------------------------------------------


def test_guangzhou_fao_chains_end_at_the_centre(chapter: Target) -> None:
    graph = analytics.network(chapter.fetch)
    found = analytics.chains(graph, R + "guangzhou-foreign-affairs-office")
    assert found
    tops = {path[-1].target_label for path in found}
    assert tops == {"State Council", "Foreign Affairs Leading Group", "National People's Congress"}
    for path in found:
        assert "CentralBody" in graph.nodes[path[-1].target]["classes"].split()
        assert all(step.locators for step in path)


def test_top_of_the_control_ranking(chapter: Target) -> None:
    ranked = analytics.centrality(analytics.network(chapter.fetch), measure="reach", top=2)
    # the NPC sits above every local congress, which oversees its government and departments
    assert [r.label for r in ranked] == ["National People's Congress", "State Council"]


def test_2013_visit_slice_has_the_table_3_2_edges(chapter: Target) -> None:
    graph = analytics.network(chapter.fetch, layer="visits", year=2013)
    assert graph.number_of_edges() == 27  # Table 3.2, 2013: 14 outgoing + 13 incoming
    assert sum(d["weight"] for _, _, d in graph.edges(data=True)) == 27


def test_cli_centrality_chain_approvals_export(tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--root", str(ROOT)]
    chapter = ["--data", str(ROOT / "graph")]  # without the national layer of #15
    result = runner.invoke(
        cli.main, [*base, "centrality", "--top", "3", "--format", "csv", *chapter]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith(
        "1,https://w3id.org/pdkg/resource/national-peoples-congress,"
    )
    result = runner.invoke(
        cli.main, [*base, "chain", "Foreign Affairs Office of the Guangzhou Municipal Government"]
    )
    assert result.exit_code == 0, result.stderr
    assert "-> State Council  [administrative-subordination]" in result.stdout
    result = runner.invoke(cli.main, [*base, "approvals", "sister-city-tie", "--city", "guangzhou"])
    assert result.exit_code == 0, result.stderr
    assert "Guangzhou Municipal People's Congress" in result.stdout
    assert "national level" in result.stdout
    result = runner.invoke(
        cli.main,
        [
            *base,
            "export",
            "--layer",
            "visits",
            "--year",
            "2013",
            "--format",
            "graphml",
            "--out",
            str(tmp_path / "v.graphml"),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert nx.read_graphml(tmp_path / "v.graphml").number_of_edges() == 27
    result = runner.invoke(cli.main, [*base, "chain", "Nowhere City"])
    assert result.exit_code == 2
    assert "is no English label in the graph" in result.stderr


GUANGZHOU = "https://w3id.org/pdkg/resource/guangzhou"


def test_the_visit_network_has_one_guangzhou(chapter: Target) -> None:
    """#9: incoming visits ended at the city (85), outgoing ones started at its government (64)."""
    graph = analytics.network(chapter.fetch, layer="visits")
    government = GUANGZHOU + "-peoples-government"
    assert government not in graph
    visits = chapter.fetch("visits").to_dicts()
    incoming = sum(r["count"] for r in visits if r["direction"] == "incoming")
    outgoing = sum(
        r["count"]
        for r in visits
        if r["direction"] == "outgoing" and r["visitorLabel"] == "Guangzhou"
    )
    assert sum(d["weight"] for _, _, d in graph.in_edges(GUANGZHOU, data=True)) == incoming
    assert sum(d["weight"] for _, _, d in graph.out_edges(GUANGZHOU, data=True)) == outgoing
    assert incoming
    assert outgoing


@pytest.mark.parametrize("layer", list(analytics.LAYERS))
def test_no_network_holds_a_vocabulary_concept(chapter: Target, layer: str) -> None:
    """#9: the kind of act (pdv:sister-city-tie) sat in the approval and control layers."""
    concepts = {
        str(row[0])
        for row in chapter.fetch("resource-index").rows
        if str(row[0]).startswith("https://w3id.org/pdkg/vocab/")
    }
    graph = analytics.network(chapter.fetch, layer=layer)
    assert concepts
    assert not concepts & set(graph.nodes)


LIN_SHUSEN = "https://w3id.org/pdkg/resource/lin-shusen"


def test_a_former_post_counts_before_the_chapters_time_not_at_it(chapter: Target) -> None:
    """#9: the chapter calls Lin Shusen's posts 'former', so in 2016, the time it describes, he
    holds none: the control ranking for 2016 differs from the ranking of every claim."""
    holdings = [
        r
        for r in chapter.fetch("network-party-control").to_dicts()
        if r["target"] == LIN_SHUSEN and r["locator"].startswith("§")  # the chapter's own
    ]
    assert holdings
    assert all("former" in r["locator"] and str(r["endBefore"]) == "2016" for r in holdings)
    every = analytics.network(chapter.fetch, layer="control")
    in_2016 = analytics.network(chapter.fetch, layer="control", year=2016)
    assert LIN_SHUSEN in every
    assert LIN_SHUSEN not in in_2016
    ranked = [r.node for r in analytics.centrality(every, measure="reach")]
    ranked_2016 = [r.node for r in analytics.centrality(in_2016, measure="reach")]
    assert ranked != ranked_2016


def test_claims_known_only_as_of_2016_are_undated_in_other_years(chapter: Target) -> None:
    """#9: --year 1990 and --year 2100 gave the same control ranking as 2016."""
    in_2016 = analytics.network(chapter.fetch, layer="control", year=2016)
    in_1990 = analytics.network(chapter.fetch, layer="control", year=1990)
    assert in_2016.number_of_edges() > 0
    # no claim known as of 2016 is undated then; those known only as of another year are (#10)
    assert 2016 not in in_2016.graph["undated_as_of"]
    assert in_1990.number_of_edges() == 0
    assert in_1990.graph["undated"] > 0
    assert 2016 in in_1990.graph["undated_as_of"]  # and the as-of years of the web pages (#10)


def test_a_year_without_claims_is_an_error_and_a_partial_one_warns() -> None:
    runner = CliRunner()
    base = ["--root", str(ROOT)]
    chapter = ["--data", str(ROOT / "graph")]  # without the national layer of #15
    empty = runner.invoke(cli.main, [*base, "centrality", "--year", "1990", *chapter])
    assert (empty.exit_code, empty.stdout) == (2, "")
    assert "known only as of" in empty.stderr
    assert "2016" in empty.stderr
    assert "try --year 2016" in empty.stderr  # the year most undated claims are known for
    partial = runner.invoke(
        cli.main, [*base, "centrality", "--layer", "partnerships", "--year", "1990", *chapter]
    )
    assert partial.exit_code == 0, partial.stderr
    assert "warning:" in partial.stderr
    assert "undated for 1990" in partial.stderr


def test_no_claim_holds_before_its_body_exists(chapter: Target) -> None:
    """#9: §3.6 has the Guangdong Airport Management Corporation 'founded' on 25 February 2004;
    its supervision by the Civil Aviation Authority (no date of its own, as of 2016) is known to
    be false before 2004, not merely undated, and is kept as undated once the body exists."""
    rows = [
        r
        for r in chapter.fetch("network-supervision").to_dicts()
        if r["source"].endswith("/guangdong-airport-management-corporation")
    ]
    assert [str(r["founded"]) for r in rows] == ["2004-02-25"]
    assert validity(rows[0], 2003) is Validity.INVALID
    assert validity(rows[0], 2010) is Validity.UNDATED
    assert validity(rows[0], 2016) is Validity.VALID
