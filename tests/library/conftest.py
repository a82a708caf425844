"""Fixtures of the library's tests: files kept under the test's own folder, and a small
French corpus written here (every hit and miss of the search tests is decided by it)."""

import datetime

import pytest

from kafo.sensitivity import NATIONAL_IM, PARTNERS, PUBLIC


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# (key, fields): titles, summaries and texts written for these tests.
CORPUS = [
    (
        "guide",
        {
            "title": "Guide de la dépollution des terres agricoles",
            "item_type": "guideline",
            "pillar": "land_release",
            "language": "fr",
            "countries": ["ML"],
            "published": datetime.date(2024, 5, 1),
            "text": "Ce guide explique comment dépolluer une parcelle après la récolte.",
        },
    ),
    (
        "sop",
        {
            "title": "Procédure opérationnelle de neutralisation",
            "item_type": "sop",
            "pillar": "eod",
            "language": "fr",
            "countries": ["ML"],
            "published": datetime.date(2022, 1, 10),
            "text": "Les équipes de DÉMINAGE balisent la zone. La dépollution des terres "
            "reprend ensuite, village par village.",
        },
    ),
    (
        "eore",
        {
            "title": "Éducation aux risques : messages pour les enfants",
            "item_type": "training",
            "pillar": "eore",
            "language": "fr",
            "countries": ["ML", "BF"],
            "published": datetime.date(2025, 2, 3),
            "text": "Ne touche pas, éloigne-toi, préviens un adulte. Les écoles de Mopti "
            "ont reçu les affiches.",
        },
    ),
    (
        "english",
        {
            "title": "Clearance of agricultural land",
            "item_type": "report",
            "pillar": "land_release",
            "language": "en",
            "countries": ["NE"],
            "published": datetime.date(2023, 7, 1),
            "text": "Land release in the Sahel: survey before clearance.",
        },
    ),
    (
        "secret",
        {
            "title": "Note interne sur la dépollution à Gao",
            "item_type": "report",
            "pillar": "land_release",
            "language": "fr",
            "countries": ["ML"],
            "confidentiality": NATIONAL_IM,
            "text": "Dépolluer la piste de Gao.",
        },
    ),
]


@pytest.fixture
def corpus(db, organisation):
    """The corpus's items by key (public ones, the secret one for national IM of MAG)."""
    from kafo.library.models import LibraryItem

    owner = organisation("MAG", name="Mines Advisory Group")
    made = {}
    for key, fields in CORPUS:
        values = {"confidentiality": PUBLIC, **fields}
        made[key] = LibraryItem.objects.create(organisation=owner, **values)
    return made


@pytest.fixture
def lesson(db, organisation):
    from kafo.library.models import Lesson

    return Lesson.objects.create(
        title="Les relais communautaires", pillar="eore", confidentiality=PARTNERS,
        organisation=organisation("HI", name="Humanité & Inclusion"), countries=["ML"],
        context="Cercle de Bandiagara.", challenge="Les femmes venaient peu aux séances.",
        action="Des relais femmes au puits.", result="Plus de femmes touchées.",
        lesson="Le lieu compte autant que le message.", recommendation="Prévoir des relais.",
    )  # fmt: skip
