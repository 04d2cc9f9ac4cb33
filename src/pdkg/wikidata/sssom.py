"""Mappings as SSSOM (https://w3id.org/sssom/): a TSV with its YAML metadata block in ``#`` lines.

The graph's own links come from the owl:Axiom nodes of ``graph/wikidata-mappings.ttl`` (the
saved query ``wikidata-links``); ``pdkg link`` writes the matches it found. Both are written
here, with a curie map of the prefixes they use.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

import yaml
from rdflib.namespace import SKOS

from pdkg.query.table import ResultTable
from pdkg.vocab import PDR, SEMAPV, WD
from pdkg.wikidata.match import Outcome

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
CURIES = {"pdr": str(PDR), "wd": str(WD), "skos": str(SKOS), "semapv": str(SEMAPV)}


@dataclass(frozen=True)
class Mapping_:
    """One row of an SSSOM table (the columns, in SSSOM's slot names)."""

    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    mapping_justification: str
    confidence: str
    author_id: str
    mapping_date: str
    mapping_tool: str
    comment: str


COLUMNS = tuple(f.name for f in fields(Mapping_))


def curie(iri: str, curies: Mapping[str, str] = CURIES) -> str:
    """An IRI as a CURIE of the curie map, or the IRI itself.

    >>> curie("http://www.wikidata.org/entity/Q16572")
    'wd:Q16572'
    """
    for prefix, namespace in curies.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def graph_mappings(table: ResultTable, labels: Mapping[str, str]) -> list[Mapping_]:
    """The rows of the saved query ``wikidata-links`` as SSSOM mappings; ``labels`` gives each
    Wikidata item's English label (from the snapshot)."""
    mappings = []
    for row in table.to_dicts():
        obj = str(row["object"])
        confidence = row.get("confidence")
        mappings.append(
            Mapping_(
                subject_id=curie(str(row["subject"])),
                subject_label=str(row.get("subjectLabel") or ""),
                predicate_id="skos:exactMatch",
                object_id=curie(obj),
                object_label=labels.get(obj, ""),
                mapping_justification=curie(str(row["justification"])),
                confidence="" if confidence is None else f"{float(confidence):g}",
                author_id=curie(str(row["author"])),
                mapping_date=str(row["date"]),
                mapping_tool="",
                comment=str(row.get("comment") or ""),
            )
        )
    return mappings


def outcome_mappings(outcomes: Iterable[Outcome], source: Path, tool: str) -> list[Mapping_]:
    """The matches of ``pdkg link`` as SSSOM mappings; subjects are the input's lines."""
    today = datetime.date.today().isoformat()
    mappings = []
    for outcome in outcomes:
        if outcome.status != "match":
            continue
        best = outcome.candidates[0]
        mappings.append(
            Mapping_(
                subject_id=f"input:line-{outcome.row.line}",
                subject_label=outcome.row.label,
                predicate_id="skos:exactMatch",
                object_id=f"wd:{best.qid}",
                object_label=best.label,
                mapping_justification="semapv:LexicalMatching",
                confidence=f"{best.score:g}",
                author_id="",
                mapping_date=today,
                mapping_tool=tool,
                comment=f"{best.how}; {outcome.reason}",
            )
        )
    return mappings


def render_sssom(
    mappings: Sequence[Mapping_],
    *,
    mapping_set_id: str,
    title: str,
    extra_curies: Mapping[str, str],
) -> str:
    """The SSSOM TSV text: the metadata block, the header, one line a mapping (sorted)."""
    metadata = {
        "curie_map": {**CURIES, **extra_curies},
        "mapping_set_id": mapping_set_id,
        "mapping_set_title": title,
        "license": LICENSE,
    }
    block = yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True)
    out = io.StringIO()
    out.write("".join(f"# {line}\n" for line in block.splitlines()))
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    for mapping in sorted(mappings, key=lambda m: (m.subject_id, m.object_id)):
        writer.writerow([getattr(mapping, c) for c in COLUMNS])
    return out.getvalue()
