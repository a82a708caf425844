"""Importing a communiqué as draft commitments, assessing them over time, and the roll-up
of scores per pillar — exact, from the latest validated assessment of each."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kafo.commitments.importing import TableError, import_commitments, import_commitments_table
from kafo.commitments.models import Assessment, Commitment, CommitmentFramework, Pillar
from kafo.commitments.rollup import rollup

D = datetime.date
TEXT = """Communiqué
1. Le Gouvernement organise les élections et la décentralisation.
2. Les parties achèvent le cantonnement des forces et le désarmement.
3. Les partenaires financent le développement économique du nord.
4. La MINUSMA appuie le retour des réfugiés et des déplacés.
"""


@pytest.fixture
def framework(db):
    agreement = CommitmentFramework.objects.create(name="Accord 2015", kind="agreement")
    for code, name in (("P1", "Questions politiques et institutionnelles"),
                       ("P2", "Défense et sécurité"), ("P3", "Développement"),
                       ("P4", "Réconciliation, justice et questions humanitaires")):  # fmt: skip
        Pillar.objects.create(framework=agreement, code=code, name=name)
    return agreement


def test_import_makes_drafts_with_proposals_all_or_nothing(tmp_path, framework, organisation):
    organisation("MINUSMA", name="Mission des Nations unies au Mali")
    path = tmp_path / "communique.txt"
    path.write_text(TEXT, encoding="utf-8")
    report = import_commitments(path, "Accord 2015")
    assert report["created"] == 4
    drafts = {c.reference: c for c in Commitment.objects.filter(framework=framework)}
    assert all(c.draft for c in drafts.values())
    assert {r: c.pillar.code for r, c in drafts.items()} == {"1": "P1", "2": "P2", "3": "P3",
                                                             "4": "P4"}  # fmt: skip
    assert [o.acronym for o in drafts["4"].responsible.all()] == ["MINUSMA"]
    again = import_commitments(path, "Accord 2015")
    assert again["created"] == 0 and again["kept"] == 4
    # A reviewed paragraph is never overwritten by a new import.
    drafts["1"].draft = False
    drafts["1"].save()
    path.write_text(TEXT.replace("élections", "élections locales"), encoding="utf-8")
    third = import_commitments(path, "Accord 2015")
    assert third["kept"] == 4 and "locales" not in Commitment.objects.get(pk=drafts["1"].pk).text


def test_a_bad_document_writes_nothing(tmp_path, db):
    path = tmp_path / "vide.txt"
    path.write_text("Rien de numéroté ici.", encoding="utf-8")
    with pytest.raises(CommandError, match="Aucun paragraphe numéroté"):
        call_command("import_commitments", str(path), "--framework", "Communiqué X",
                     stdout=StringIO())  # fmt: skip
    assert not CommitmentFramework.objects.exists()


def test_the_command_prints_json(tmp_path, framework):
    path = tmp_path / "c.txt"
    path.write_text(TEXT, encoding="utf-8")
    out = StringIO()
    call_command("import_commitments", str(path), "--framework", "Accord 2015", "--json",
                 stdout=out)  # fmt: skip
    report = json.loads(out.getvalue())
    assert report["created"] == 4 and report["paragraphs"][1]["pillar"] == "P2"


def test_scores_roll_up_exactly(framework, organisation):
    observer = organisation("CARTER")
    pillars = {p.code: p for p in framework.pillars.all()}
    made = {}
    for reference, pillar in (("1", "P1"), ("2", "P1"), ("3", "P2"), ("4", "P2"), ("5", None)):
        made[reference] = Commitment.objects.create(
            framework=framework, reference=reference, pillar=pillars.get(pillar), text_fr="x"
        )
    Commitment.objects.create(framework=framework, reference="6", draft=True, text_fr="x")
    now = timezone.now()

    def assess(reference, day, score, validated=True):
        Assessment.objects.create(
            commitment=made[reference], date=day, score=score, assessor=observer,
            validated_at=now if validated else None,
        )  # fmt: skip

    assess("1", D(2019, 6, 1), 1)
    assess("1", D(2020, 6, 1), 3)  # the latest counts
    assess("2", D(2020, 6, 1), 2)
    assess("2", D(2021, 6, 1), 0, validated=False)  # not validated: does not count
    assess("3", D(2020, 6, 1), 0)
    # 4 and 5 never assessed; 6 is a draft and does not count.
    result = rollup(framework)
    assert result["overall"]["total"] == 5
    assert result["overall"]["counts"] == {"0": 1, "1": 0, "2": 1, "3": 1, "not_assessed": 2}
    assert result["overall"]["stages"] == {"done": 1, "in_progress": 1, "not_started": 3}
    assert result["overall"]["mean_score"] == pytest.approx((3 + 2 + 0) / 3)
    by_pillar = {p["code"]: p for p in result["pillars"]}
    assert by_pillar["P1"]["shares"]["3"] == 0.5 and by_pillar["P1"]["shares"]["2"] == 0.5
    assert by_pillar["P2"]["counts"]["not_assessed"] == 1 and by_pillar["P3"]["total"] == 0
    assert by_pillar[None]["total"] == 1
    # The roll-up on an earlier date takes the assessments known then.
    earlier = rollup(framework, as_of=D(2019, 12, 31))
    assert earlier["overall"]["counts"]["1"] == 1 and earlier["overall"]["counts"]["3"] == 0
    assert sum(p["total"] for p in result["pillars"]) == result["overall"]["total"]


def test_an_hxl_table_imports_all_or_nothing_and_an_export_imports_back(
    tmp_path, framework, organisation, client, coordinator
):  # fmt: skip
    from django.urls import reverse

    organisation("GOUV", name="Gouvernement du Mali")
    good = tmp_path / "engagements.csv"
    good.write_text(
        "Référence,Texte,Pilier,Échéance,Responsables\n"
        "#meta+ref,#description,#sector+pillar,#date+deadline,#org+responsible\n"
        "18,Cantonnement des forces,P2,2019-12-31,GOUV\n"
        "19,DDR,P2,,Gouvernement du Mali\n", encoding="utf-8",
    )  # fmt: skip
    report = import_commitments_table(good, "Accord 2015")
    assert report["created"] == 2
    eighteen = Commitment.objects.get(framework=framework, reference="18")
    assert not eighteen.draft and eighteen.pillar.code == "P2"
    assert eighteen.deadline == D(2019, 12, 31)
    assert [o.acronym for o in eighteen.responsible.all()] == ["GOUV"]
    bad = tmp_path / "mauvais.csv"
    bad.write_text(
        "#meta+ref,#description,#sector+pillar,#date+deadline,#org+responsible\n"
        "20,Nouveau,P2,,GOUV\n"
        "21,Autre,P9,31/12/2019,XYZ\n"
        "20,Encore,,,\n", encoding="utf-8",
    )  # fmt: skip
    with pytest.raises(TableError) as error:
        import_commitments_table(bad, "Accord 2015")
    reasons = {(e["row"], e["value"]) for e in error.value.errors}
    assert {(3, "P9"), (3, "31/12/2019"), (3, "XYZ"), (4, "20")} <= reasons
    assert not Commitment.objects.filter(reference__in=["20", "21"]).exists()
    # The page's HXL export imports back without change.
    client.force_login(coordinator)
    exported = tmp_path / "export.csv"
    exported.write_bytes(client.get(reverse("commitments:export", args=[framework.pk]),
                                    {"format": "hxl"}).content)  # fmt: skip
    again = import_commitments_table(exported, "Accord 2015")
    assert again["created"] == 0 and again["kept"] == 2
