"""A synthetic pdkg graph of about N triples, for benchmarks: it conforms to the shapes, or holds
a known set of seeded violations.

    .venv/bin/python bench/generate.py --triples N --seed S [--violations P] --out FILE [--release]

The graph copies the shape of graph/*.ttl (its classes, properties, datatypes and the SKOS
concepts of ontology/vocab), never its facts. Every resource is ``pdr:gen-...`` with an English
label ("Generated Province 7"). Every actor and claim cites a generated ``pd:Source``: a part of a
generated report ("§G.3", with locators like "§G.3, row 12") or one of three web pages.

- Places: one country (China) and the four levels below it. There are provinces (``pd:Province``,
  31 at full size), prefecture-level cities (``pd:City``, about 10 a province) and counties
  (``pd:District``, about 10 a prefecture). The hierarchy takes about 60 % of N and reaches its full
  size (about 182k triples) at N = 300k. Below that, the number of provinces shrinks faster than the
  fan-outs. Foreign countries and cities are added in proportion to N.
- Bodies: the centre has the State Council, the NPC, the MFA, a foreign-affairs leading group and
  the CPAFFC. Every unit has a people's government, a people's congress and an FAO. A province also
  has a leading group and a CPAFFC branch, and its FAO mirrors the MFA (``pd:Mirroring``).
- Supervision claims (``pd:Supervision``) follow graph/supervision.ttl. The FAO answers to its
  government. A government or congress answers to the one a level up, and at the top to the State
  Council or the NPC. A congress oversees its government. A provincial leading group leads the
  FAO, and the central group guides the provincial one. So every local body reaches the centre.
- Activity makes up the rest of N: approvals (a prefecture's sister-city ties need its congress),
  sister-city and friendly-cooperation partnerships with foreign cities, with start dates as
  gYear, gYearMonth or date, memberships in international organisations, and ``pd:Visit`` claims
  (year, direction, visitor, delegation, destination, count, as in Table 3.2).

Not modelled: people, posts, events, projects, consulates, trade offices, observations,
designations, regulations, completeness statements, edge claims, Wikidata links, CPPCC bodies and
second sources (``prov:qualifiedDerivation``). No claim has an end date or a status, so the
rules assert them all.

``--violations P`` breaks that share of the claim nodes, one constraint each, in one of the ways
in ``KINDS``. Each kind yields exactly one pySHACL result, and none spreads to another node. For
example, a supervisor that is not a body is seeded only on a supervision that no chain to the
centre needs. ``Generated.expected`` lists every result as (node shape as pdkg's Violation.shape
shows it, focus IRI, path IRI or None). The output is N-Triples, written line by line; a ``.ttl``
file goes through rdflib, for small graphs. The output is the same for the same seed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parents[1]
PD, PDV = "https://w3id.org/pdkg/ontology#", "https://w3id.org/pdkg/vocab/"
GEN, XSD = "https://w3id.org/pdkg/resource/gen-", "http://www.w3.org/2001/XMLSchema#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DERIVED, DCT = "http://www.w3.org/ns/prov#wasDerivedFrom", "http://purl.org/dc/terms/"

MIN_TRIPLES = 1000
HIERARCHY_SHARE = 0.6
FULL = (31, 10, 10)  # provinces, prefectures a province, counties a prefecture
UNIT_TRIPLES = (83, 59, 52)  # what a province, a prefecture and a county add (for sizing)
#: the parts of the generated report (pd:Source nodes gen-report-<key>) and their sections
PARTS = {"places": "§G.1", "bodies": "§G.2", "supervision": "§G.3", "approvals": "§G.4"}
PARTS |= {"memberships": "§G.5", "partnerships": "Table G.1", "visits": "Table G.2"}
PARTS |= {"mirrors": "Table G.3"}
PAGES = ("page-1", "page-2", "page-3")  # web pages (pd:Source with a schema:url, no section)
PLACES = {"Country", "Province", "City", "District", "ForeignCity"}
CATEGORIES = ("well-developed-high-tech", "commercial", "natural-resources", "limited-cooperation")
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")  # SisterCityPartnership -> sister-city-partnership
Pairs = list[tuple[str, str]]  # (predicate IRI, object as an N-Triples term)
Kinds = tuple[str, ...]  # keys of KINDS


def gen(name: str) -> str:
    return f"<{GEN}{name}>"


def pd(name: str) -> str:
    return f"<{PD}{name}>"


def pdv(name: str) -> str:
    return f"<{PDV}{name}>"


def text(value: str, lang: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def props(**values: str | None) -> Pairs:
    """pd: properties, in the order given; a None value is left out."""
    return [(PD + key, value) for key, value in values.items() if value is not None]


@dataclass(frozen=True)
class Kind:
    """A way to break one constraint of ``shape``: drop the first ``target`` value, or change it."""

    shape: str
    target: str  # a pd: property, or prov:wasDerivedFrom
    change: Callable[[str], str] | None = None  # the new object
    rename: str | None = None  # the new predicate, which pySHACL reports as the path
    sparql: bool = False  # reported by a SPARQL constraint, without a path

    @property
    def path(self) -> str | None:
        return None if self.sparql else (self.rename or self.target)


KINDS: dict[str, Kind] = {
    "missing-source": Kind("RelationShape", DERIVED),
    "missing-locator": Kind("RelationShape", PD + "locator"),
    "locator-wrong-section": Kind(  # names the places' section, not its own source's
        "ProvenanceShape", PD + "locator", lambda _: text("§G.1, row 1"), sparql=True
    ),
    "year-not-gyear": Kind("VisitShape", PD + "year", lambda o: o.split("^^")[0]),
    "count-zero": Kind("VisitShape", PD + "count", lambda _: typed(0, "integer")),
    "supervisor-not-a-body": Kind(  # gen-x-congress becomes gen-x: the unit, a place
        "SupervisionShape", PD + "supervisor", lambda o: o.rsplit("-", 1)[0] + ">"
    ),
    "kind-out-of-scheme": Kind(  # pdv:commercial is a partner category
        "SupervisionShape", PD + "supervisionKind", lambda _: pdv("commercial")
    ),
    "one-partner": Kind("SisterCityPartnershipShape", PD + "partner"),
    "misspelt-start": Kind("SisterCityPartnershipShape", PD + "startDate", rename=PD + "startdate"),
    "no-role": Kind("MembershipShape", PD + "membershipRole"),
    "no-act": Kind("ApprovalRequirementShape", PD + "act"),
}


@dataclass
class Generated:
    """A generated graph: its N-Triples (a chunk of lines a node), counts, seeded violations."""

    seed: int
    share: float
    chunks: list[str] = field(default_factory=list)
    triples: int = 0
    #: (node shape as pdkg shows it, focus IRI, path IRI or None): one a result pySHACL reports
    expected: list[tuple[str, str, str | None]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # nodes by class, and "claims"
    kinds: dict[str, int] = field(default_factory=dict)  # seeded violations by KINDS key

    def ntriples(self) -> str:
        return "".join(self.chunks)

    def by_shape(self) -> dict[str, int]:
        shapes = [shape for shape, _, _ in self.expected]
        return {shape: shapes.count(shape) for shape in sorted(set(shapes))}

    def write(self, out: Path) -> None:
        """Write N-Triples, or Turtle (through rdflib) when ``out`` ends in ``.ttl``."""
        if out.suffix != ".ttl":
            with out.open("w", encoding="utf-8", newline="\n") as stream:
                stream.writelines(self.chunks)
            return
        from rdflib import Graph

        graph = Graph().parse(data=self.ntriples(), format="nt")
        for prefix, space in (("pd", PD), ("pdr", GEN[:-4]), ("pdv", PDV), ("xsd", XSD)):
            graph.bind(prefix, space)
        out.write_text(graph.serialize(format="turtle"), encoding="utf-8")


class _Builder:
    """Writes nodes into a Generated, seeding violations into its share of the claims."""

    def __init__(self, out: Generated, rng: random.Random) -> None:
        self.out, self.rng = out, rng
        self.labels: dict[str, str] = {}
        self.claims = 0

    def count(self, what: str) -> int:
        self.out.counts[what] = self.out.counts.get(what, 0) + 1
        return self.out.counts[what]

    def node(self, name: str, pairs: Pairs) -> None:
        subject = gen(name)
        self.out.chunks.append("".join(f"{subject} <{pred}> {obj} .\n" for pred, obj in pairs))
        self.out.triples += len(pairs)

    def source(self, name: str, label: str, pairs: Pairs) -> None:
        self.node(name, [(TYPE, pd("Source")), (LABEL, text(label, "en")), *pairs])

    def actor(self, name: str, types: str, label: str, pairs: Pairs) -> None:
        """A place or a body: its types, English label, properties and provenance."""
        part = "places" if types in PLACES else "bodies"
        self.labels[name] = label
        classes = [(TYPE, pd(cls)) for cls in types.split()]
        cited = [
            (DERIVED, gen(f"report-{part}")),
            *props(locator=text(f"{PARTS[part]}, '{label}'")),
        ]
        self.node(name, [*classes, (LABEL, text(label, "en")), *pairs, *cited])

    def claim(self, cls: str, pairs: Pairs, part: str, where: str, kinds: Kinds) -> None:
        """A claim from report part (or web page) ``part``; ``kinds``: how it may be broken."""
        name = f"{CAMEL.sub('-', cls).lower()}-{self.count(cls)}"
        self.claims += 1
        source = gen(f"report-{part}" if part in PARTS else part)
        located = props(locator=text(f"{PARTS.get(part, 'generated ' + part)}, {where}"))
        pairs = [(TYPE, pd(cls)), *pairs, (DERIVED, source), *located]
        if len(self.out.expected) < round(self.out.share * self.claims):
            generic: Kinds = ("missing-source", "missing-locator")
            generic += ("locator-wrong-section",) if part in PARTS else ()
            own = [k for k in kinds if any(pred == KINDS[k].target for pred, _ in pairs)]
            chosen = self.rng.choice(own if own and self.rng.random() < 0.6 else generic)
            self.out.kinds[chosen] = self.out.kinds.get(chosen, 0) + 1
            kind = KINDS[chosen]
            at = next(i for i, (pred, _) in enumerate(pairs) if pred == kind.target)
            if kind.rename or kind.change:
                old = pairs[at][1]
                pairs[at] = (kind.rename or kind.target, kind.change(old) if kind.change else old)
            else:
                del pairs[at]
            self.out.expected.append((f"pdsh:{kind.shape}", GEN + name, kind.path))
        self.node(name, pairs)

    def supervision(self, supervised: str, by: str, kind: str, chain: bool = True) -> None:
        """``chain``: the supervised body may reach the centre through this claim only."""
        pairs = props(supervised=gen(supervised), supervisor=gen(by), supervisionKind=pdv(kind))
        kinds = ("kind-out-of-scheme",) + (() if chain else ("supervisor-not-a-body",))
        row = f"row {self.out.counts.get('Supervision', 0) + 1}"
        self.claim("Supervision", pairs, "supervision", row, kinds)


def _sources(b: _Builder) -> None:
    section = props(sourceSection=text("Generated report"), asOf=typed(2020, "gYear"))
    b.source("report", "Generated report on local foreign affairs", section)
    for key, name in PARTS.items():
        part = [(DCT + "isPartOf", gen("report")), *props(sourceSection=text(name))]
        b.source(f"report-{key}", f"{name} {key.title()}", part)
    for n, page in enumerate(PAGES, 1):
        url = ("https://schema.org/url", f"<https://example.org/generated/{page}.html>")
        read = [
            *props(accessedAs=text("stored page excerpt")),
            (DCT + "date", typed(f"2019-0{n}-15", "date")),
        ]
        b.source(page, f"example.org, {page}.html", [url, *read])


def _centre(b: _Builder) -> None:
    b.actor("china", "Country", "Generated People's Republic of China", [])
    national, china = props(adminLevel=pdv("national")), props(jurisdiction=gen("china"))
    under = props(parentBody=gen("state-council"))
    for name, types, label, more in (
        ("state-council", "Government", "Generated State Council", china),
        ("npc", "Legislature", "Generated National People's Congress", china),
        ("mfa", "Department", "Generated Ministry of Foreign Affairs", under),
        ("falg", "LeadingSmallGroup", "Generated Leading Group", []),
        ("cpaffc", "PeoplesOrganization", "Generated Friendship Association", []),
    ):
        b.actor(name, f"CentralBody {types}", label, national + more)


def _unit(b: _Builder, unit: str, label: str, cls: str, level: str, upper: str | None) -> None:
    """A unit, its government, congress and FAO, and their supervision claims."""
    place = props(adminLevel=pdv(level), country=gen("china"), partOf=upper and gen(upper))
    b.actor(unit, cls, label, place)
    here = props(adminLevel=pdv(level), jurisdiction=gen(unit))
    b.actor(f"{unit}-government", "LocalBody Government", f"People's Government of {label}", here)
    b.actor(f"{unit}-congress", "LocalBody Legislature", f"People's Congress of {label}", here)
    office = here + props(parentBody=gen(f"{unit}-government"))
    b.actor(f"{unit}-fao", "ForeignAffairsOffice", f"Foreign Affairs Office of {label}", office)
    b.count("LocalGovernment")
    down = "administrative-subordination"
    b.supervision(f"{unit}-fao", f"{unit}-government", down)
    b.supervision(f"{unit}-government", f"{upper}-government" if upper else "state-council", down)
    b.supervision(f"{unit}-congress", f"{upper}-congress" if upper else "npc", down)
    b.supervision(f"{unit}-government", f"{unit}-congress", "legislative-oversight", chain=False)


def _province(b: _Builder, n: int) -> str:
    province, label = f"province-{n}", f"Generated Province {n}"
    _unit(b, province, label, "Province", "provincial", None)
    here = props(adminLevel=pdv("provincial"), jurisdiction=gen(province))
    b.actor(f"{province}-falg", "LocalBody LeadingSmallGroup", f"Leading Group of {label}", here)
    branch = here + props(branchOf=gen("cpaffc"))
    branch += props(foundingDate=typed(b.rng.randint(1980, 2000), "gYear"))
    association = f"Friendship Association of {label}"
    b.actor(f"{province}-cpaffc", "LocalBody FriendshipAssociationBranch", association, branch)
    b.supervision(f"{province}-falg", "falg", "guidance")
    b.supervision(f"{province}-fao", f"{province}-falg", "party-leadership", chain=False)
    mirror = props(localBody=gen(f"{province}-fao"), centralBody=gen("mfa"))
    b.claim("Mirroring", mirror, "mirrors", f"row {n}", ())
    b.count("Province")
    return province


def _hierarchy(b: _Builder, provinces: int, prefectures: int, counties: int) -> list[str]:
    """The four levels with their bodies; returns the units' names (for activity)."""
    units: list[str] = []

    def around(mean: int) -> range:
        return range(1, b.rng.randint(mean - mean // 4, mean + mean // 4) + 1)

    for n in range(1, provinces + 1):
        units.append(province := _province(b, n))
        for f in around(prefectures):
            units.append(prefecture := f"prefecture-{n}-{f}")
            _unit(b, prefecture, f"Generated Prefecture {n}.{f}", "City", "prefectural", province)
            tie = props(act=pdv("sister-city-tie"), approver=gen(f"{prefecture}-congress"))
            tie += props(appliesTo=gen(prefecture))
            b.claim("ApprovalRequirement", tie, "approvals", f"row {n}.{f}", ("no-act",))
            b.count("Prefecture")
            for c in around(counties):
                units.append(county := f"county-{n}-{f}-{c}")
                _unit(b, county, f"Generated County {n}.{f}.{c}", "District", "county", prefecture)
                b.count("County")
    return units


def _partnership(b: _Builder, local: str, foreign: str, row: int) -> None:
    rng = b.rng
    cls = "SisterCityPartnership" if rng.random() < 0.7 else "FriendlyCooperationPartnership"
    label = text(f"{b.labels[local]} \N{EN DASH} {b.labels[foreign]}", "en")
    year, day = rng.randint(1979, 2019), rng.randint(1, 28)
    month = f"{year}-{rng.randint(1, 12):02}"
    dates = [typed(year, "gYear"), typed(month, "gYearMonth"), typed(f"{month}-{day:02}", "date")]
    start = rng.choice([*dates, None])
    category = pdv(rng.choice(CATEGORIES)) if rng.random() < 0.5 else None
    pairs = [(LABEL, label), *props(partner=gen(local)), *props(partner=gen(foreign))]
    pairs += props(startDate=start, partnerCategory=category)
    part = "partnerships" if rng.random() < 0.7 else rng.choice(PAGES)
    b.claim(cls, pairs, part, f"row {row}", ("one-partner", "misspelt-start"))


def _membership(b: _Builder, member: str, organisation: str) -> None:
    role = pdv(b.rng.choice(["member", "member", "board-member", "participant"]))
    start = typed(b.rng.randint(1985, 2018), "gYear") if b.rng.random() < 0.6 else None
    pairs = props(member=gen(member), organization=gen(organisation))
    pairs += props(membershipRole=role, startDate=start)
    where = f"'{b.labels[member]} joined {b.labels[organisation]}'"
    b.claim("Membership", pairs, "memberships", where, ("no-role",))


def _visit(b: _Builder, local: str, foreign: str) -> None:
    year, outgoing = b.rng.randint(2005, 2020), b.rng.random() < 0.5
    visitor, destination = (local, foreign) if outgoing else (foreign, local)
    direction = "outgoing" if outgoing else "incoming"
    pairs = props(
        year=typed(year, "gYear"),
        direction=pdv(direction),
        visitor=gen(visitor),
        delegation=gen(f"{local}-government") if outgoing else None,
        destination=gen(destination),
        count=typed(1 if b.rng.random() < 0.9 else 2, "integer"),
        asPrinted=text(b.labels[destination]),
    )
    b.claim("Visit", pairs, "visits", f"{year}, {direction}", ("year-not-gyear", "count-zero"))


def _activity(b: _Builder, units: list[str], triples: int) -> None:
    """Foreign places and organisations, then partnerships, memberships and visits up to N."""
    rng, countries = b.rng, max(4, triples // 3000)
    for k in range(1, countries + 1):
        b.actor(f"country-{k}", "Country", f"Generated Country {k}", [])
    cities = [f"foreign-city-{k}" for k in range(1, max(10, triples // 300) + 1)]
    for k, city in enumerate(cities, 1):
        country = props(country=gen(f"country-{rng.randint(1, countries)}"))
        b.actor(city, "ForeignCity", f"Generated Foreign City {k}", country)
    organisations = [f"organisation-{k}" for k in range(1, 6)]
    for k, org in enumerate(organisations, 1):
        founded = props(foundingDate=typed(rng.randint(1950, 1995), "gYear"))
        b.actor(org, "InternationalOrganization", f"Generated Organisation {k}", founded)
    joiners = [unit for unit in units if not unit.startswith("county")]
    seen: set[tuple[str, str]] = set()
    while b.out.triples < triples:
        roll, local, foreign = rng.random(), rng.choice(units), rng.choice(cities)
        member, organisation = rng.choice(joiners), rng.choice(organisations)
        if roll < 0.25 and (local, foreign) not in seen:
            seen.add((local, foreign))
            _partnership(b, local, foreign, len(seen))
        elif 0.25 <= roll < 0.32 and (member, organisation) not in seen:
            seen.add((member, organisation))
            _membership(b, member, organisation)
        else:
            _visit(b, local, foreign)


def fan_out(triples: int) -> tuple[int, int, int]:
    """Provinces, prefectures a province and counties a prefecture for a graph of ``triples``:
    below full size the provinces shrink as ``scale**2``, the fan-outs as ``scale**0.5`` (>= 2)."""
    budget, scale = HIERARCHY_SHARE * triples - 300, 1.0
    while True:
        provinces = max(1, round(FULL[0] * scale**2))
        prefectures, counties = (max(2, round(full * scale**0.5)) for full in FULL[1:])
        size = provinces * (
            UNIT_TRIPLES[0] + prefectures * (UNIT_TRIPLES[1] + counties * UNIT_TRIPLES[2])
        )
        if size <= budget or scale < 0.05:
            return provinces, prefectures, counties
        scale *= 0.98


def generate(triples: int, seed: int, violations: float = 0.0) -> Generated:
    """A graph of about ``triples`` data triples; ``violations``: the share of claims seeded.

    Raises:
        ValueError: ``triples`` is below MIN_TRIPLES or ``violations`` is not in [0, 1].
    """
    if triples < MIN_TRIPLES or not 0.0 <= violations <= 1.0:
        raise ValueError(f"need triples >= {MIN_TRIPLES} and 0 <= violations <= 1")
    out = Generated(seed=seed, share=violations)
    builder = _Builder(out, random.Random(seed))
    _sources(builder)
    _centre(builder)
    _activity(builder, _hierarchy(builder, *fan_out(triples)), triples)
    out.counts["claims"] = builder.claims
    return out


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, without the usage block
        self.exit(2, f"{self.prog}: error: {message}\n")


def share(value: str) -> float:
    share = float(value)
    if not 0.0 <= share <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not a share in [0, 1]")
    return share


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="generate.py", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help=f"at least {MIN_TRIPLES}")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--violations", type=share, default=0.0, help="share of claims to break")
    parser.add_argument("--out", type=Path, required=True, help="FILE.nt (or FILE.ttl)")
    parser.add_argument("--release", action="store_true", help="also count the release (slow)")
    args = parser.parse_args(argv)
    if args.triples < MIN_TRIPLES:
        parser.error(f"argument --triples: at least {MIN_TRIPLES}, not {args.triples}")
    started = time.perf_counter()
    graph = generate(args.triples, args.seed, args.violations)
    try:
        graph.write(args.out)
    except OSError as exc:
        parser.exit(1, f"{parser.prog}: error: cannot write {args.out} ({exc.strerror})\n")
    took = time.perf_counter() - started
    print(
        f"{graph.triples} data triples ({args.triples} asked) in {took:.1f} s; a release adds "
        "the ontology (~1.5k triples) and the rules' output",
        file=sys.stderr,
    )
    summary: dict[str, object] = {"triples": graph.triples, "seed": args.seed}
    summary |= {
        "violations": len(graph.expected),
        "by_shape": graph.by_shape(),
        "out": str(args.out),
    }
    if args.release:
        from pdkg.load import load_project
        from pdkg.paths import ProjectPaths
        from pdkg.validation import release_graph

        release, inferred = release_graph(load_project(ProjectPaths(ROOT), data=[args.out]))
        summary |= {"release_triples": len(release), "inferred_triples": len(inferred)}
        print(f"release: {len(release)} triples, {len(inferred)} derived", file=sys.stderr)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
