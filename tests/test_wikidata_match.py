"""Scoring and deciding for ``pdkg link``, on names taken from the verified Wikidata snapshot."""

from __future__ import annotations

import doctest
import itertools
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from pdkg.wikidata import match
from pdkg.wikidata.match import (
    CONFIDENT,
    PLAUSIBLE,
    Name,
    Outcome,
    Row,
    match_row,
    normalise,
    score_name,
)

SNAPSHOT = Path(__file__).resolve().parents[1] / "wikidata" / "snapshot.ttl"

# What the P31 classes of the snapshot mean, for these tests (the real mapping is the caller's).
KIND_CLASSES = {
    "country": frozenset({"Q6256"}),  # sovereign state
    "province": frozenset({"Q1615742", "Q2824648"}),  # province of China, of Vietnam
    "region": frozenset({"Q57362", "Q779415", "Q269218"}),  # autonomous region, SAR, county
    "city": frozenset({"Q515", "Q1208802"}),  # city, direct-administered municipality
}


@pytest.fixture(scope="module")
def names() -> tuple[Name, ...]:
    """Every English label of the snapshot as a ``Name``, with the item's P17 and P31."""
    graph = Graph().parse(SNAPSHOT)
    prefixes = dict(graph.namespaces())
    wd, wdt = str(prefixes["wd"]), Namespace(str(prefixes["wdt"]))

    def qids(subject: Node, prop: URIRef) -> frozenset[str]:
        return frozenset(str(o).removeprefix(wd) for o in graph.objects(subject, prop))

    found = []
    for subject, label in graph.subject_objects(RDFS.label):
        if isinstance(label, Literal) and label.language == "en":
            found.append(
                Name(
                    qid=str(subject).removeprefix(wd),
                    text=str(label),
                    via="label",
                    item_label=str(label),
                    countries=qids(subject, wdt.P17),
                    classes=qids(subject, wdt.P31),
                )
            )
    assert len(found) > 150
    return tuple(sorted(found, key=lambda n: (n.qid, n.text)))


def decide(names: tuple[Name, ...], label: str, country: str | None, kind: str = "city") -> Outcome:
    return match_row(Row(label, kind, country, 2), names, KIND_CLASSES)


def qids_of(outcome: Outcome) -> list[str]:
    return [c.qid for c in outcome.candidates]


# --- real outcomes on the snapshot -------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "country", "qid"),
    [("Istambul", "Q43", "Q406"), ("Surabaja", "Q252", "Q11462")],
)
def test_misspelt_city_in_its_country_matches_by_close_spelling(
    names: tuple[Name, ...], label: str, country: str, qid: str
) -> None:
    outcome = decide(names, label, country)
    assert (outcome.status, qids_of(outcome)) == ("match", [qid])
    assert outcome.candidates[0].score == CONFIDENT
    assert outcome.candidates[0].how == "close spelling (similarity 0.875)"


def test_lodz_without_diacritics_matches_lodz_by_the_case_and_accent_rule(
    names: tuple[Name, ...],
) -> None:
    outcome = decide(names, "Lodz", "Q36")
    assert (outcome.status, qids_of(outcome)) == ("match", ["Q580"])
    assert outcome.candidates[0].how == "case- and accent-insensitive"
    assert outcome.candidates[0].label == "Łódź"


def test_exact_istanbul_matches_by_exact_label(names: tuple[Name, ...]) -> None:
    outcome = decide(names, "Istanbul", None)
    assert (outcome.status, qids_of(outcome)) == ("match", ["Q406"])
    assert (outcome.candidates[0].score, outcome.candidates[0].how) == (1.0, "exact label")


def test_misspelt_gwangju_is_ambiguous_between_the_two_gwangju_of_south_korea(
    names: tuple[Name, ...],
) -> None:
    outcome = decide(names, "Gwanjiu", "Q884")
    assert (outcome.status, qids_of(outcome)) == ("ambiguous", ["Q41283", "Q42069"])
    assert all(c.score >= CONFIDENT for c in outcome.candidates)  # confident, yet not picked


def test_birmingham_is_ambiguous_without_a_country_and_matches_in_the_uk(
    names: tuple[Name, ...],
) -> None:
    anywhere = decide(names, "Birmingham", None)
    assert (anywhere.status, qids_of(anywhere)) == ("ambiguous", ["Q2256", "Q79867"])
    in_uk = decide(names, "Birmingham", "Q145")
    assert (in_uk.status, qids_of(in_uk)) == ("match", ["Q2256"])
    assert "Q79867 is in Q30" in in_uk.reason


def test_victoria_is_ambiguous_without_a_country_and_matches_in_seychelles(
    names: tuple[Name, ...],
) -> None:
    anywhere = decide(names, "Victoria", None)
    assert anywhere.status == "ambiguous"
    assert {"Q3940", "Q2132", "Q36687"} <= set(qids_of(anywhere))
    in_seychelles = decide(names, "Victoria", "Q1042")
    assert (in_seychelles.status, qids_of(in_seychelles)) == ("match", ["Q3940"])


def test_equal_scores_are_listed_in_numeric_qid_order(names: tuple[Name, ...]) -> None:
    assert qids_of(decide(names, "Victoria", None)) == ["Q2132", "Q3940", "Q36687"]


def test_frankfurt_stays_ambiguous_although_one_reading_scores_higher(
    names: tuple[Name, ...],
) -> None:
    outcome = decide(names, "Frankfurt", "Q183")
    assert (outcome.status, qids_of(outcome)) == ("ambiguous", ["Q1794", "Q4024"])
    assert [(c.score, c.how) for c in outcome.candidates] == [
        (1.0, "exact label"),
        (0.85, "qualified name"),
    ]


def test_frankfurt_am_main_is_a_partial_name_of_both_frankfurts(names: tuple[Name, ...]) -> None:
    outcome = decide(names, "Frankfurt am Main", "Q183")
    assert (outcome.status, qids_of(outcome)) == ("ambiguous", ["Q1794", "Q4024"])
    assert {c.how for c in outcome.candidates} == {"partial name"}


def test_atlantis_finds_no_item(names: tuple[Name, ...]) -> None:
    outcome = decide(names, "Atlantis", "Q41")
    assert (outcome.status, outcome.candidates) == ("none", ())
    assert outcome.reason == "no item has a label or alias close to 'Atlantis' in Q41"


def test_a_single_plausible_but_unconfident_candidate_is_uncertain(
    names: tuple[Name, ...],
) -> None:
    outcome = decide(names, "Dakor", "Q1041")  # Dakar, one letter in five wrong: ratio 0.8
    assert (outcome.status, qids_of(outcome)) == ("uncertain", ["Q3718"])
    assert outcome.candidates[0].score == PLAUSIBLE
    assert "not linked" in outcome.reason


def test_an_item_without_country_is_kept_with_the_unknown_country_penalty(
    names: tuple[Name, ...],
) -> None:
    outcome = decide(names, "Valencia", "Q29")  # Q54880 records no P17; Q2158 is in Q928
    assert outcome.status == "ambiguous"
    assert [(c.qid, c.score, c.how) for c in outcome.candidates] == [
        ("Q8818", 1.0, "exact label"),
        ("Q54880", 0.95, "exact label, unknown country"),
    ]


# --- the kind filter ---------------------------------------------------------------------------


def test_a_country_row_never_returns_a_province_item(names: tuple[Name, ...]) -> None:
    provinces = [n for n in names if n.classes & KIND_CLASSES["province"]]
    assert len(provinces) >= 8
    for province in provinces:
        outcome = decide(names, province.text, None, kind="country")
        assert province.qid not in qids_of(outcome), province
        assert f"{province.qid} is a province, not a country" in outcome.reason


def test_a_city_row_guangdong_does_not_return_the_province_of_guangdong(
    names: tuple[Name, ...],
) -> None:
    outcome = decide(names, "Guangdong", None, kind="city")
    assert "Q15175" not in qids_of(outcome)
    assert outcome.status == "none"


def test_a_province_row_guangdong_matches_the_province(names: tuple[Name, ...]) -> None:
    outcome = decide(names, "Guangdong", "Q148", kind="province")
    assert (outcome.status, qids_of(outcome)) == ("match", ["Q15175"])


def test_an_unknown_kind_raises_value_error(names: tuple[Name, ...]) -> None:
    with pytest.raises(ValueError, match="line 2: unknown kind 'town'"):
        decide(names, "Istanbul", None, kind="town")


def test_the_outcome_does_not_depend_on_the_order_of_names(names: tuple[Name, ...]) -> None:
    shuffled = list(names)
    random.Random(7).shuffle(shuffled)
    for label, country in [("Victoria", None), ("Frankfurt", "Q183"), ("San Jose", None)]:
        assert decide(names, label, country) == decide(tuple(shuffled), label, country)


# --- names and aliases -------------------------------------------------------------------------


def test_an_exact_alias_scores_below_an_exact_label() -> None:
    alias = Name("Q406", "Constantinople", "alias", "Istanbul", frozenset({"Q43"}), frozenset())
    outcome = match_row(Row("Constantinople", "city", "Q43", 3), [alias], KIND_CLASSES)
    assert outcome.status == "match"
    assert (outcome.candidates[0].score, outcome.candidates[0].how) == (0.95, "exact alias")
    assert outcome.candidates[0].label == "Istanbul"


def test_an_item_scores_by_its_best_name() -> None:
    def name(text: str, via: str) -> Name:
        return Name("Q406", text, via, "Istanbul", frozenset({"Q43"}), frozenset())

    outcome = match_row(
        Row("Istanbul", "city", "Q43", 3),
        [name("istanbul", "alias"), name("Istanbul", "label")],
        KIND_CLASSES,
    )
    assert [(c.qid, c.score) for c in outcome.candidates] == [("Q406", 1.0)]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Łódź", "lodz"),
        ("lodz", "lodz"),
        ("  Saint-Étienne ", "saint etienne"),
        ("Straße", "strasse"),
        ("Ærøskøbing", "aeroskobing"),
        ("Þórshöfn", "thorshofn"),
        ("Đà Nẵng", "da nang"),
        ("Côte d'Ivoire", "cote d ivoire"),
        ("St. John's", "st john s"),
        ("Diyarbak\u0131r", "diyarbakir"),  # dotless i
        ("snake_case\tand  tabs", "snake case and tabs"),
    ],
)
def test_normalise_folds_case_accents_special_letters_and_punctuation(
    text: str, folded: str
) -> None:
    assert normalise(text) == folded


def test_scores_are_ordered_exact_alias_insensitive_qualified_partial() -> None:
    ladder = [
        score_name("Frankfurt", "Frankfurt", "label"),
        score_name("Frankfurt", "Frankfurt", "alias"),
        score_name("Frankfurt", "FRANKFURT", "label"),
        score_name("Frankfurt", "Frankfurt (Oder)", "label"),
        score_name("Frankfurt", "Frankfurt am Main", "label"),
    ]
    assert ladder == [
        (1.0, "exact label"),
        (0.95, "exact alias"),
        (0.9, "case- and accent-insensitive"),
        (0.85, "qualified name"),
        (0.8, "partial name"),
    ]
    scores = [scored[0] for scored in ladder if scored is not None]
    assert all(high > low for high, low in itertools.pairwise(scores))
    assert min(scores) >= PLAUSIBLE


@pytest.mark.parametrize(
    ("query", "name"),
    [("Frankfurt (Oder)", "Frankfurt"), ("Victoria", "Victoria, Seychelles")],
)
def test_a_trailing_qualifier_on_either_side_gives_a_qualified_name(query: str, name: str) -> None:
    assert score_name(query, name, "label") == (0.85, "qualified name")


def test_close_spelling_is_confident_from_one_wrong_letter_in_seven() -> None:
    assert score_name("Gwanjiu", "Gwangju", "label") == (0.85, "close spelling (similarity 0.857)")
    assert score_name("Dakor", "Dakar", "label") == (0.8, "close spelling (similarity 0.800)")
    assert score_name("Dakkor", "Dakar", "label") is None


def test_a_word_prefix_must_end_on_a_word_boundary() -> None:
    assert score_name("Frank", "Frankfurt am Main", "label") is None


def test_score_name_rejects_an_unknown_via() -> None:
    with pytest.raises(ValueError, match="'label' or 'alias'"):
        score_name("Istanbul", "Istanbul", "sitelink")


def test_the_module_doctests_pass() -> None:
    assert doctest.testmod(match).failed == 0


@settings(derandomize=True)
@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


@settings(derandomize=True)
@given(st.text(min_size=1))
def test_any_text_is_an_exact_label_of_itself(text: str) -> None:
    assert score_name(text, text, "label") == (1.0, "exact label")


def test_the_name_as_written_outweighs_partial_names_and_close_spellings() -> None:
    """A pool of a whole country holds near names of every city: they do not make the exact
    label ambiguous (the review of #11: "Lyon" beside "Lyons" and "Lyon Part-Dieu station")."""
    france = frozenset({"Q142"})
    pool = [
        Name("Q456", "Lyon", "label", "Lyon", france, frozenset()),
        Name("Q1", "Lyons", "label", "Lyons", france, frozenset()),
        Name(
            "Q2", "Lyon Part-Dieu station", "label", "Lyon Part-Dieu station", france, frozenset()
        ),
    ]
    outcome = match_row(Row("Lyon", "city", "Q142", 2), pool, {})

    assert outcome.status == "match"
    assert [c.qid for c in outcome.candidates] == ["Q456"]
    assert "Q1 (Lyons) is only a close spelling" in outcome.reason
    # a qualified name of the same text still makes it ambiguous (Frankfurt, Frankfurt (Oder))
    pool.append(Name("Q3", "Lyon (Iowa)", "label", "Lyon (Iowa)", france, frozenset()))
    assert match_row(Row("Lyon", "city", "Q142", 2), pool, {}).status == "ambiguous"
