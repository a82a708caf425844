import pytest
from django.core.exceptions import ValidationError

from kafo.actors.models import Organisation, OrganisationType

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def hi(db):
    return Organisation.objects.create(
        name="Humanité & Inclusion", acronym="HI", type=OrganisationType.INTERNATIONAL_NGO,
        alt_names=["Handicap International"],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "acronym"),
    [("Handicap International", ""), ("Humanite et Inclusion", ""), ("Autre nom", "H.I.")],
)
def test_a_known_organisation_cannot_be_added_again(hi, name, acronym):
    duplicate = Organisation(name=name, acronym=acronym, type=OrganisationType.INTERNATIONAL_NGO)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "already known as Humanité & Inclusion (HI)" in str(error.value)


def test_a_new_organisation_is_accepted(hi):
    Organisation(
        name="Mines Advisory Group", acronym="MAG", type=OrganisationType.INTERNATIONAL_NGO
    ).full_clean()


def test_editing_an_organisation_does_not_clash_with_itself(hi):
    hi.website = "https://hi.org"
    hi.full_clean()
