"""A synthetic national-scale control network, shaped like pdkg's ``control`` layer.

Edges point from the controlled actor to its controller (supervised body -> supervisor), as in
:func:`pdkg.analytics.network`. The centre holds the State Council and its ministries, the NPC,
the CPPCC, the Party Central Committee and its foreign-affairs leading group. Every
administrative unit (province, prefecture, county) has a people's government, a people's
congress and a foreign-affairs office (FAO); provinces add a CPPCC committee, a party
foreign-affairs leading group and a department mirroring every ministry, prefectures mirror a
few ministries, some counties one. Edges:

* administrative subordination: unit body -> the same body one level up (county government ->
  prefecture government -> provincial government -> State Council; congresses up to the NPC;
  FAOs up to the provincial FAO, which answers to the MFA);
* legislative oversight: government -> congress of the same unit;
* party: provincial FAO -> provincial leading group -> central leading group -> Central
  Committee;
* departments -> their government and -> their mirror one level up (the ministry at the top);
* a few seeded random cross-links (one per 100 nodes) from a lower body to a higher one.

Usage: .venv/bin/python bench/synthetic.py [provinces prefectures counties seed]
prints node and edge counts; (31, 10, 10) gives about 11k nodes, (31, 30, 35) about 109k.
"""

from __future__ import annotations

import random
import sys

import networkx as nx

MINISTRIES = {
    "mfa": "Ministry of Foreign Affairs",
    "mofcom": "Ministry of Commerce",
    "ndrc": "National Development and Reform Commission",
    "moe": "Ministry of Education",
    "mct": "Ministry of Culture and Tourism",
    "mps": "Ministry of Public Security",
    "mof": "Ministry of Finance",
    "most": "Ministry of Science and Technology",
}
#: ministries mirrored by every prefecture, and the one a county may mirror
PREFECTURE_MIRRORS = ("mofcom",)
COUNTY_MIRRORS = ("mofcom", "mct", "moe")
COUNTY_DEPARTMENT_ODDS = 0.2
CROSS_LINKS_PER_NODE = 0.01


def control_network(
    provinces: int, prefectures_per_province: int, counties_per_prefecture: int, seed: int
) -> nx.DiGraph:
    """Build the network; node ids are paths like ``p03/f07/c12/gov``, with a ``label``.

    Nodes also carry ``level`` (central, province, prefecture, county); edges carry ``kind``
    (administrative, legislative, party, mirror, cross) and ``weight`` 1.0.
    """
    rng = random.Random(seed)
    graph = nx.DiGraph()

    def node(key: str, label: str, level: str) -> str:
        graph.add_node(key, label=label, level=level)
        return key

    def edge(child: str, parent: str, kind: str) -> None:
        graph.add_edge(child, parent, kind=kind, weight=1.0)

    cc = node("c/cc", "CCP Central Committee", "central")
    council = node("c/gov", "State Council", "central")
    npc = node("c/congress", "National People's Congress", "central")
    cppcc = node("c/cppcc", "CPPCC National Committee", "central")
    group = node("c/falg", "Central Foreign Affairs Leading Group", "central")
    edge(council, npc, "legislative")
    edge(group, cc, "party")
    edge(council, cc, "party")
    edge(cppcc, cc, "party")
    ministries = {key: node(f"c/{key}", label, "central") for key, label in MINISTRIES.items()}
    for ministry in ministries.values():
        edge(ministry, council, "administrative")

    def unit(prefix: str, name: str, level: str, upper: dict[str, str]) -> dict[str, str]:
        """The government, congress and FAO of one unit, tied to the unit above."""
        bodies = {
            "gov": node(f"{prefix}/gov", f"{name} People's Government", level),
            "congress": node(f"{prefix}/congress", f"{name} People's Congress", level),
            "fao": node(f"{prefix}/fao", f"{name} Foreign Affairs Office", level),
        }
        edge(bodies["gov"], bodies["congress"], "legislative")
        for body in ("gov", "congress", "fao"):
            edge(bodies[body], upper[body], "administrative")
        return bodies

    def department(
        prefix: str, name: str, level: str, key: str, bodies: dict[str, str], mirror: str
    ) -> str:
        dept = node(f"{prefix}/{key}", f"{name} {MINISTRIES[key]} (local)", level)
        edge(dept, bodies["gov"], "administrative")
        edge(dept, mirror, "mirror")
        return dept

    centre = {"gov": council, "congress": npc, "fao": ministries["mfa"]}
    for p in range(provinces):
        prefix, name = f"p{p:02d}", f"Province {p}"
        province = unit(prefix, name, "province", centre)
        edge(node(f"{prefix}/cppcc", f"{name} CPPCC Committee", "province"), cppcc, "party")
        leading = node(f"{prefix}/falg", f"{name} Foreign Affairs Leading Group", "province")
        edge(province["fao"], leading, "party")
        edge(leading, group, "party")
        depts = {
            key: department(prefix, name, "province", key, province, ministry)
            for key, ministry in ministries.items()
            if key != "mfa"
        }
        depts["mfa"] = province["fao"]
        for f in range(prefectures_per_province):
            f_prefix, f_name = f"{prefix}/f{f:02d}", f"{name} Prefecture {f}"
            prefecture = unit(f_prefix, f_name, "prefecture", province)
            f_depts = {
                key: department(f_prefix, f_name, "prefecture", key, prefecture, depts[key])
                for key in PREFECTURE_MIRRORS
            }
            for c in range(counties_per_prefecture):
                c_prefix, c_name = f"{f_prefix}/c{c:02d}", f"{f_name} County {c}"
                county = unit(c_prefix, c_name, "county", prefecture)
                if rng.random() < COUNTY_DEPARTMENT_ODDS:
                    key = rng.choice(COUNTY_MIRRORS)
                    mirror = f_depts.get(key, depts[key])
                    department(c_prefix, c_name, "county", key, county, mirror)

    order = {"central": 0, "province": 1, "prefecture": 2, "county": 3}
    nodes = sorted(graph.nodes)
    for _ in range(int(graph.number_of_nodes() * CROSS_LINKS_PER_NODE)):
        lower, upper = rng.choice(nodes), rng.choice(nodes)
        levels = order[graph.nodes[lower]["level"]], order[graph.nodes[upper]["level"]]
        if levels[0] > levels[1] and not graph.has_edge(lower, upper):
            edge(lower, upper, "cross")
    return graph


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] if argv else [31, 10, 10, 42]
    graph = control_network(*sizes)
    print(
        f"control_network{tuple(sizes)}: {graph.number_of_nodes()} nodes, "
        f"{graph.number_of_edges()} edges"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
