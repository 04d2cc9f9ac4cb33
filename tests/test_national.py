"""The national layer (#15): every division of the GB/T 2260 snapshots with its history, a
government per unit subordinated by §3.2's rule, and the Wikipedia twinnings matched to them.

Expected answers are counted from the committed files in the test (``national/``), never copied
from the graph's output.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from pathlib import Path

import pytest

from pdkg.errors import QueryParameterError
from pdkg.national import national_report
from pdkg.national.names import Division, Matcher
from pdkg.national.snapshots import level
from pdkg.paths import ProjectPaths
from pdkg.query.target import Target

ROOT = Path(__file__).resolve().parents[1]
GB2260 = ROOT / "national" / "gb2260"
PDR = "https://w3id.org/pdkg/resource/"
PD = "https://w3id.org/pdkg/ontology#"


def snapshot(revision: str) -> dict[str, list[str]]:
    """A snapshot's names by code, read from its file."""
    names: dict[str, list[str]] = {}
    with (GB2260 / f"{revision}.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            names.setdefault(row["Code"], []).append(row["Name"])
    return names


def revisions() -> list[str]:
    return sorted(path.stem for path in GB2260.glob("[12]*.tsv"))


def cells(target: Target, name: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:
    table = target.fetch(name) if params is None else target.query(name, params)
    return [{k: str(v) for k, v in zip(table.columns, row, strict=True)} for row in table.rows]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("date", "revision"),
    [("1980-12-31", "198012"), ("1997-12-31", "199712"), ("2012-06-30", "201112"),
     ("2016-06-30", "201606"), ("2019-04-30", "201904")],
)  # fmt: skip
def test_divisions_by_level_equal_the_snapshot_of_the_date(
    national: Target, date: str, revision: str
) -> None:
    """2012-06-30 lies between the snapshots 201112 and 201312: it reads the earlier one."""
    expected = Counter(level(code) for code in snapshot(revision))
    rows = cells(national, "divisions-by-level", {"date": date})
    got: Counter[str] = Counter()
    for row in rows:
        got[row["level"]] += int(row["divisions"])
    assert {row["snapshot"] for row in rows} == {f"{revision[:4]}-{revision[4:]}"}
    assert got == expected


def _first_rename() -> tuple[str, str, str, str, str]:
    """(code, old name, new name, after, by) of the first code whose only name changes between
    two consecutive snapshots, read from the files."""
    order = revisions()
    for before, after in itertools.pairwise(order):
        old, new = snapshot(before), snapshot(after)
        for code, names in sorted(old.items()):
            if len(names) == 1 and len(new.get(code, [])) == 1 and new[code] != names:
                return code, names[0], new[code][0], before, after
    raise AssertionError("no rename in the snapshots")


def _month(revision: str) -> str:
    return f"{revision[:4]}-{revision[4:]}"


def test_a_renamed_division_carries_the_dates_of_its_snapshots(national: Target) -> None:
    code, old, new, before, after = _first_rename()
    rows = cells(national, "division-changes", {"from": f"{before[:4]}-01-01", "to": "2019-04-30"})
    renamed = [r for r in rows if r["change"] == "renamed" and r["code"] == code]
    assert len(renamed) == 1, renamed
    assert (renamed[0]["after"], renamed[0]["by"]) == (_month(before), _month(after))
    assert old in renamed[0]["detail"]
    assert new in renamed[0]["detail"]


def test_a_vanished_division_carries_the_dates_of_its_snapshots(national: Target) -> None:
    """The latest two consecutive snapshots between which codes vanish for good: each such
    code's change lies after the first and by the second."""
    order = revisions()
    for index in range(len(order) - 2, -1, -1):
        before, after = order[index], order[index + 1]
        later = set().union(*(snapshot(r) for r in order[index + 1 :]))
        gone = sorted(set(snapshot(before)) - later)
        if gone:
            break
    else:
        raise AssertionError("no code vanishes in the snapshots")
    month = f"{after[:4]}-{after[4:]}"
    rows = cells(national, "division-changes", {"from": f"{month}-01", "to": f"{month}-28"})
    vanished = {r["code"]: r for r in rows if r["change"] == "vanished"}
    assert set(gone) == set(vanished)
    assert {(vanished[c]["after"], vanished[c]["by"]) for c in gone} == {
        (_month(before), _month(after))
    }


def test_chapter_places_are_the_divisions_not_duplicates(national: Target) -> None:
    """The chapter's Guangzhou is the unit of code 440100 (no pdr:cn-440100 beside it); each row
    of national/chapter-places.tsv quotes the name the latest snapshot lists under its code, and
    a city's row the Chinese label the Wikidata snapshot gives the resource's own item."""
    wikidata = (ROOT / "wikidata" / "snapshot.ttl").read_text(encoding="utf-8")
    places = (ROOT / "graph" / "places.ttl").read_text(encoding="utf-8")
    latest = snapshot(revisions()[-1])
    with (ROOT / "national" / "chapter-places.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) >= 14
    for row in rows:
        name = latest[row["code"]][0]
        assert f"{row['code']} {name}" in row["evidence"]
        item = re.search(r"(wd:Q\d+) \(the chapter", row["evidence"])
        if item is None:
            continue  # a province: its capital's row gives the evidence
        resource = places.split(f"pdr:{row['resource']} a ", 1)[1].split("\n\n", 1)[0]
        assert f"skos:exactMatch {item.group(1)} ;" in resource
        block = wikidata.split(f"{item.group(1)} rdfs:label", 1)[1].split("\nwd:", 1)[0]
        assert f'rdfs:label "{name}"@zh' in block
    triples = {
        (str(s), str(p), str(o))
        for s, p, o in national.query("describe-resource", {"resource": PDR + "guangzhou"})  # type: ignore[union-attr]
    }
    assert (PDR + "guangzhou", PD + "divisionCode", "440100") in triples
    assert (PDR + "guangzhou", "http://www.w3.org/2000/01/rdf-schema#label", "广州市") in triples
    with pytest.raises(QueryParameterError, match="is not in the graph"):
        national.query("describe-resource", {"resource": PDR + "cn-440100"})


#: the chapter's places in China that are no division of its own, or none the names can tell
NOT_DIVISIONS = {
    "china": "the country",
    "xinning": "the chapter's own note: printed 'Xinning', possibly a misspelling",
    "xinjiang": "新疆维吾尔自治区 reads more than 'Xinjiang': no unique reading",
    "hong-kong": "810000 香港特别行政区 does not read 'Hong Kong'",
    "macau": "820000 澳门特别行政区 does not read 'Macau'",
}


def test_every_chinese_place_of_the_chapter_is_its_division_or_says_why_not() -> None:
    """A row of national/chapter-places.tsv that rests on a reading is the one the matcher gives
    the place's English label (within the province the chapter puts it in); every other place in
    China is a row of its own evidence or one of :data:`NOT_DIVISIONS`."""
    from rdflib import RDFS, Graph, Namespace, URIRef

    ontology = Namespace(PD)
    graph = Graph()
    for path in sorted((ROOT / "graph").glob("*.ttl")):
        graph.parse(path)
    latest = snapshot(revisions()[-1])
    matcher = Matcher(Division(code, names[0]) for code, names in latest.items())
    with (ROOT / "national" / "chapter-places.tsv").open(encoding="utf-8", newline="") as handle:
        rows = {row["resource"]: row for row in csv.DictReader(handle, delimiter="\t")}
    china = URIRef(PDR + "china")
    chinese = {str(s)[len(PDR) :] for s in graph.subjects(ontology.country, china)}
    assert chinese - set(rows) - {"china"} == set(NOT_DIVISIONS) - {"china"}
    for name, row in rows.items():
        if "reads" not in row["evidence"]:
            continue
        label = str(graph.value(URIRef(PDR + name), RDFS.label))
        match = matcher.match(label)
        within = graph.value(URIRef(PDR + name), ontology.partOf)
        if match.status == "ambiguous" and within is not None:
            province = rows[str(within)[len(PDR) :]]["code"][:2]
            found = [d.code for d in match.candidates if d.code[:2] == province]
            assert found == [row["code"]], (name, match)
        else:
            assert match.status == "matched", (name, match)
            assert match.division is not None
            assert match.division.code == row["code"], (name, match)


def test_matching_reports_names_shared_across_provinces_as_ambiguous(tmp_path: Path) -> None:
    """A fixture: two Taizhou and two Suzhou in different provinces (the standard's codes)."""
    divisions = [
        Division("320000", "江苏省"), Division("330000", "浙江省"), Division("340000", "安徽省"),
        Division("321200", "泰州市"), Division("331000", "台州市"),
        Division("320500", "苏州市"), Division("341300", "宿州市"),
        Division("320200", "无锡市"), Division("500238", "巫溪县"),
    ]  # fmt: skip
    matcher = Matcher(divisions)

    assert matcher.match("Taizhou").status == "ambiguous"
    assert {d.code for d in matcher.match("Taizhou").candidates} == {"321200", "331000"}
    assert matcher.match("Suzhou").status == "ambiguous"
    assert matcher.match("Taizhou, Jiangsu").division == Division("321200", "泰州市")
    assert matcher.match("Suzhou, Anhui").division == Division("341300", "宿州市")
    wuxi = matcher.match("Wuxi")  # a city and a county read the same: the city, reported
    assert (wuxi.status, wuxi.division) == ("matched-by-level", Division("320200", "无锡市"))
    assert matcher.match("Harbin").status == "unmatched"

    national = tmp_path / "national"
    (national / "gb2260").mkdir(parents=True)
    rows = "".join(f"mca\t201904\t{d.code}\t{d.name}\n" for d in divisions)
    (national / "gb2260" / "201904.tsv").write_text(
        "Source\tRevision\tCode\tName\n" + rows, encoding="utf-8"
    )
    (national / "gb2260" / "sources.tsv").write_text(
        "Source\tRevision\tURL\tSchema\nmca\t201904\thttp://example.org/201904\tmca\n",
        encoding="utf-8",
    )
    (national / "wikipedia").mkdir()
    (national / "wikipedia" / "twinning_china.csv").write_text(
        "city1,country1,city2,country2\nTaizhou,China,Kanazawa,Japan\n"
        'Suzhou,China,Venice,Italy\n"Taizhou, Jiangsu",China,Portland,United States\n',
        encoding="utf-8",
    )
    report = national_report(ProjectPaths(tmp_path))
    assert report.by_status()["ambiguous"] == (2, 2)
    assert "Taizhou: 'Taizhou' reads 321200 泰州市, 331000 台州市" in report.to_text()


def test_coverage_sets_the_snapshot_beside_the_chapters_totals(national: Target) -> None:
    """The chapter's §3.2 figures ('provincial level (31 units)', ...) read from its quotes in
    graph/observations.ttl, beside the counts of the snapshot in force (none at township level)."""
    quoted = re.findall(
        r"'(\w+)(?: and village)? level \((\d+) units\)'",
        (ROOT / "graph" / "observations.ttl").read_text(encoding="utf-8"),
    )
    stated = {name: int(value) for name, value in quoted}
    expected = Counter(level(code) for code in snapshot("201012"))
    rows = cells(national, "division-coverage", {"date": "2010-12-31"})
    assert {r["level"]: int(r["stated"]) for r in rows} == stated
    assert {r["level"]: int(r["listed"]) for r in rows} == {**expected, "township": 0}
    assert {r["snapshot"] for r in rows} == {"2010-12"}
    for row in rows:
        assert float(row["share"]) == pytest.approx(
            int(row["listed"]) / int(row["stated"]), abs=1e-3
        )


def test_the_hubs_of_the_twinning_network_are_named_by_the_standard(national: Target) -> None:
    """A division without an English label (the standard names it in Chinese only) is shown in
    the analytics by its name and code in the latest snapshot; the chapter's keep theirs. The two
    hosts Wikipedia lists most often (counted from the file) are the two largest hubs."""
    from pdkg import analytics
    from pdkg.cli.columns import pad, shown_width

    latest = snapshot(revisions()[-1])
    nodes = {row["node"]: row["label"] for row in cells(national, "network-nodes")}
    assert nodes[PDR + "cn-370200"] == f"{latest['370200'][0]} (370200)"
    assert nodes[PDR + "guangzhou"] == "Guangzhou"
    assert shown_width(pad(nodes[PDR + "cn-370200"], 20)) == 20
    with (ROOT / "national" / "wikipedia" / "twinning_china.csv").open(encoding="utf-8") as handle:
        hosts = Counter(
            row[f"city{side}"]
            for row in csv.DictReader(handle)
            for side in (1, 2)
            if row[f"country{side}"] == "China"
        )
    graph = analytics.network(national.fetch, layer="partnerships")
    ranked = analytics.centrality(graph, measure="in-degree", top=2)
    assert [r.label for r in ranked] == [name for name, _ in hosts.most_common(2)]


def test_the_national_map_draws_every_province_with_partnerships_at_its_point(
    national: Target, tmp_path: Path
) -> None:
    """Each provincial unit twinnings-per-province counts is a circle at the point the committed
    copy of cpca's table gives its code (read from the file here), sized by its count."""
    from pdkg.analytics.figures import provinces

    points_file = ROOT / "national" / "cpca" / "adcodes.csv"
    with points_file.open(encoding="utf-8") as handle:
        where = {
            r["adcode"][:6]: (float(r["longitude"]), float(r["latitude"]))
            for r in csv.DictReader(handle)
            if r["adcode"].endswith("0000000000")
        }
    rows = cells(national, "twinnings-per-province")
    assert len(rows) >= 25
    assert {r["provinceCode"] for r in rows} <= set(where)
    points = provinces.read_points(points_file)
    drawn, missing = provinces.symbols(national.fetch(provinces.QUERY), points)
    assert missing == []
    assert {(s.point.code, (s.point.lon, s.point.lat), s.ties) for s in drawn} == {
        (r["provinceCode"], where[r["provinceCode"]], int(r["ties"])) for r in rows
    }
    out = tmp_path / "map"
    written = provinces.twinnings_by_province(national.fetch, points_file, out)
    assert written == [out.with_suffix(".png"), out.with_suffix(".svg")]


def test_a_guangzhou_pair_only_wikipedia_lists_is_disputed_by_the_complete_official_list(
    national: Target,
) -> None:
    """#15 item 4: each pair the Wikipedia rows give Guangzhou whose partner is no partner of
    the FAO's complete list (graph/partnerships-fao-list.ttl, read here) is a 'complete list'
    disagreement citing its row, and the claim is disputed."""
    from rdflib import Graph, URIRef

    from pdkg.query.target import disagreements

    fao = Graph().parse(ROOT / "graph" / "partnerships-fao-list.ttl")
    official = {
        str(o)
        for s in fao.subjects(URIRef(PD + "partner"), URIRef(PDR + "guangzhou"))
        for o in fao.objects(s, URIRef(PD + "partner"))
    }
    assert len(official) > 30
    with (ROOT / "national" / "wikipedia" / "twinning_china.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    table = disagreements(paths=ProjectPaths(ROOT))
    index = {c: i for i, c in enumerate(table.columns)}
    listed = [
        r for r in table.rows
        if str(r[index["kind"]]) == "complete list"
        and str(r[index["locatorA"]]).startswith("national/wikipedia/twinning_china.csv")
    ]  # fmt: skip
    assert listed
    for row in listed:
        assert str(row[index["subject"]]) not in official
        number = int(str(row[index["locatorA"]]).rsplit("row ", 1)[1])
        source_row = rows[number - 1]  # row N: the N-th below the header
        assert "Guangzhou" in (source_row["city1"], source_row["city2"])
        partner = str(row[index["subjectLabel"]]).split(" - ", 1)[1]
        assert partner in (source_row["city1"], source_row["city2"])
    claims = cells(national, "province-twinnings", {"province": PDR + "guangdong"})
    disputed = {r["partnerLabel"] for r in claims if r["disputed"] == "yes"}
    labels = {str(r[index["subjectLabel"]]).split(" - ", 1)[1] for r in listed}
    assert labels <= disputed, labels - disputed


def test_a_partner_wikipedia_spells_otherwise_is_the_graphs_place(
    national: Target, tmp_path: Path
) -> None:
    """national/wikipedia/partner-places.tsv joins each name it lists to the graph's place: the
    rows naming it (read from the CSV here) back the graph's pair, and no second place is made."""
    from pdkg.errors import GraphLoadError
    from pdkg.national.wikipedia import Places, add_partner_places

    aliases = ROOT / "national" / "wikipedia" / "partner-places.tsv"
    with aliases.open(encoding="utf-8", newline="") as handle:
        joined = list(csv.DictReader(handle, delimiter="\t"))
    with (ROOT / "national" / "wikipedia" / "twinning_china.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    claims = cells(national, "province-twinnings", {"province": PDR + "guangdong"})
    for alias in joined:
        hosts = {r["city1"] if r["city2"] == alias["name"] else r["city2"] for r in rows
                 if alias["name"] in (r["city1"], r["city2"])}  # fmt: skip
        assert hosts
        backed = {r["partnerLabel"] for r in claims if r["partner"] == PDR + alias["resource"]}
        if "Guangzhou" in hosts:
            assert backed
            assert any("Wikipedia" in r["sources"] for r in claims
                       if r["partner"] == PDR + alias["resource"])  # fmt: skip
        slug = "wp-" + re.sub(r"[^a-z]+", "-", alias["name"].lower()).strip("-")
        with pytest.raises(QueryParameterError, match="is not in the graph"):
            national.query(
                "describe-resource", {"resource": f"{PDR}{slug}-{alias['country'].lower()}"}
            )
    bad = tmp_path / "partner-places.tsv"
    bad.write_text("name\tcountry\tresource\tevidence\nX\tAtlantis\tx\tnone\n", encoding="utf-8")
    with pytest.raises(GraphLoadError, match="line 2"):
        add_partner_places(Places(), bad)
