import pytest

from kafo.actors.matching import OrganisationMatcher, normalise

ORGANISATIONS = [
    (1, "Humanité & Inclusion", "HI", ["Handicap International", "Humanity & Inclusion"]),
    (2, "Danish Refugee Council", "DRC", ["Conseil danois pour les réfugiés"]),
    (3, "Mines Advisory Group", "MAG", []),
    (4, "Norwegian Refugee Council", "NRC", []),
    (5, "Fonds des Nations Unies pour l'enfance", "UNICEF", []),
]


@pytest.fixture(scope="module")
def matcher():
    return OrganisationMatcher(ORGANISATIONS)


def test_normalise_folds_case_accents_and_and():
    assert normalise("Humanité & Inclusion") == "humanite and inclusion"
    assert normalise("HUMANITE ET INCLUSION") == "humanite and inclusion"
    assert normalise("  Mines-Advisory   Group ") == "mines advisory group"


@pytest.mark.parametrize(
    "text",
    ["Handicap International", "HI", "H.I.", "Humanité & Inclusion", "Humanite et inclusion",
     "Humanity and Inclusion", "HANDICAP INTERNATIONAL", "Handicap Internationale",
     "Humanité & Inclusion (HI)"],
)  # fmt: skip
def test_every_name_of_hi_finds_hi(matcher, text):
    match = matcher.match(text)
    assert match.certain and match.organisation_id == 1, match


def test_a_name_with_its_acronym_in_parentheses(matcher):
    assert matcher.match("Danish Refugee Council (DRC)").organisation_id == 2
    assert matcher.match("Conseil Danois pour les Refugies").organisation_id == 2


def test_a_typo_is_forgiven(matcher):
    match = matcher.match("Mines Advisery Group")
    assert match.method == "fuzzy" and match.certain and match.organisation_id == 3


def test_two_close_names_are_not_guessed(matcher):
    # "Refugee Council" alone is as close to DRC as to NRC: a person must choose.
    match = matcher.match("Refugee Council")
    assert not match.certain and match.organisation_id is None
    assert {candidate for candidate, _ in match.candidates} >= {2, 4}


def test_a_short_unknown_acronym_is_not_matched_fuzzily(matcher):
    assert matcher.match("HIS").organisation_id is None
    assert matcher.match("MAGE").organisation_id is None


def test_an_unknown_organisation_is_not_matched(matcher):
    match = matcher.match("Association des femmes de Tessit")
    assert match.organisation_id is None and not match.certain


def test_empty_text(matcher):
    assert matcher.match("  ").method == "none"


def test_an_acronym_shared_by_two_organisations_is_ambiguous():
    matcher = OrganisationMatcher(
        [
            (1, "Danish Refugee Council", "DRC", []),
            (2, "Direction régionale du commerce", "DRC", []),
        ]
    )
    match = matcher.match("DRC")
    assert match.organisation_id is None and [c for c, _ in match.candidates] == [1, 2]
