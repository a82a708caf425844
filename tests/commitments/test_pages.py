"""Commitments on the web: the dashboard per framework and pillar, a commitment assessed
over time with evidence and validated, drafts reviewed, each party's commitments."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kafo.actors.models import Role
from kafo.commitments.models import Assessment, Commitment, CommitmentFramework, Pillar
from kafo.response.models import Activity

D = datetime.date
TODAY = timezone.localdate()


@pytest.fixture
def framework(db, organisation):
    government = organisation("GOUV", name="Gouvernement du Mali")
    agreement = CommitmentFramework.objects.create(name="Accord 2015", kind="agreement")
    security = Pillar.objects.create(framework=agreement, code="II", name="Défense et sécurité")
    late = Commitment.objects.create(
        framework=agreement, reference="18", pillar=security, text_fr="Cantonnement",
        deadline=TODAY - datetime.timedelta(days=10),
    )  # fmt: skip
    soon = Commitment.objects.create(
        framework=agreement, reference="19", pillar=security, text_fr="DDR",
        deadline=TODAY + datetime.timedelta(days=20),
    )  # fmt: skip
    for commitment in (late, soon):
        commitment.responsible.set([government])
    Commitment.objects.create(framework=agreement, reference="20", text_fr="Projet", draft=True)
    return agreement, late, soon, government


def test_it_checks_access(plain_client, client, framework, user_with_role):
    agreement, late, _soon, government = framework
    for url in (reverse("commitments:frameworks"), agreement.get_absolute_url(),
                reverse("commitments:commitment", args=[late.pk]),
                reverse("commitments:party", args=[government.pk])):  # fmt: skip
        assert plain_client.get(url).status_code == 302
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    assert client.post(reverse("commitments:assess", args=[late.pk]), {}).status_code == 403
    assert client.post(reverse("commitments:review", args=[late.pk]), {}).status_code == 403


def test_the_dashboard_shows_overdue_upcoming_and_scores(client, framework, user_with_role):
    agreement, _late, _soon, _government = framework
    client.force_login(user_with_role(Role.DONOR_VIEWER))
    page = client.get(agreement.get_absolute_url()).content.decode()
    overdue = page.index("En retard")
    upcoming = page.index("Échéances à venir")
    assert overdue < page.index("§18", overdue) < upcoming < page.index("§19", upcoming)
    assert "1 paragraphe importé attend" in page  # the draft does not count


def test_a_coordinator_assesses_with_evidence_and_validates(client, framework, coordinator):
    agreement, late, _soon, _government = framework
    activity = Activity.objects.create(
        organisation=coordinator.membership.organisation, title="Appui au cantonnement",
        source_id="5W-42",
    )  # fmt: skip
    client.force_login(coordinator)
    client.post(reverse("commitments:assess", args=[late.pk]), {
        "date": TODAY.isoformat(), "score": 2, "evidence": "Sites ouverts à Kidal",
        "source": "Observateur indépendant", "links_text": "https://example.org/rapport.pdf",
        "activity_ids": "5W-42",
    })  # fmt: skip
    assessment = Assessment.objects.get()
    assert assessment.links == ["https://example.org/rapport.pdf"]
    assert list(late.activities.all()) == [activity]
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "en attente de validation" in page
    client.post(reverse("commitments:validate", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.validated_at is not None


@pytest.mark.parametrize(
    ("values", "message"),
    [({"score": 5}, "5"), ({"date": "2999-01-01"}, "futur"),
     ({"activity_ids": "inconnu"}, "inconnu"), ({"links_text": "https://"}, "URL"),
     ({"transaction_ids": "999"}, "999")],
)  # fmt: skip
def test_bad_assessments_are_refused_with_a_reason(client, framework, coordinator, values,
                                                   message):  # fmt: skip
    _agreement, late, _soon, _government = framework
    client.force_login(coordinator)
    data = {"date": TODAY.isoformat(), "score": 1, "evidence": "", "source": "",
            "links_text": "", "activity_ids": "", "transaction_ids": "", **values}  # fmt: skip
    page = client.post(reverse("commitments:assess", args=[late.pk]), data,
                       follow=True).content.decode()  # fmt: skip
    assert message in page and not Assessment.objects.exists()


def test_drafts_are_reviewed(client, framework, coordinator):
    agreement, _late, _soon, _government = framework
    draft = Commitment.objects.get(reference="20")
    client.force_login(coordinator)
    assert "§20" in client.get(reverse("commitments:drafts", args=[agreement.pk])).content.decode()
    pillar = agreement.pillars.get()
    client.post(reverse("commitments:review", args=[draft.pk]),
                {"action": "confirm", "pillar": pillar.pk, "deadline": "2030-01-01"})  # fmt: skip
    draft.refresh_from_db()
    assert not draft.draft and draft.pillar == pillar and draft.deadline == D(2030, 1, 1)


def test_each_party_sees_its_commitments_and_exports(client, framework, user_with_role):
    agreement, _late, _soon, government = framework
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    page = client.get(reverse("commitments:party", args=[government.pk])).content.decode()
    assert "§18" in page and "§19" in page and "§20" not in page
    text = client.get(reverse("commitments:export", args=[agreement.pk]),
                      {"format": "hxl"}).content.decode("utf-8-sig")  # fmt: skip
    assert "#meta+ref" in text and "Cantonnement" in text


def test_deadline_notifications_by_email(framework, user_with_role, mailoutbox):
    from django.core.management import call_command

    _agreement, _late, _soon, government = framework
    user = user_with_role(Role.PARTNER_EDITOR, government)
    user.email = "point.focal@example.org"
    user.save()
    call_command("notify_deadlines", "--days", "30", stdout=__import__("io").StringIO())
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["point.focal@example.org"]
    assert "§18" in mailoutbox[0].body and "§19" in mailoutbox[0].body


def test_a_coordinator_imports_a_communique_on_the_web(client, coordinator, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator)
    assert "Importer un document" in client.get(reverse("commitments:frameworks")).content.decode()
    document = SimpleUploadedFile("communique.txt", b"1. Premier point.\n2. Second point.\n")
    data = {"document": document, "framework": "Communiqué de Djeddah", "kind": "communique"}
    response = client.post(reverse("commitments:import"), data)
    framework = CommitmentFramework.objects.get(name="Communiqué de Djeddah")
    assert response["Location"] == reverse("commitments:drafts", args=[framework.pk])
    assert framework.commitments.filter(draft=True).count() == 2
    broken = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 garbage")
    page = client.post(reverse("commitments:import"), {
        "document": broken, "framework": "Autre", "kind": "communique"},
        follow=True).content.decode()  # fmt: skip
    assert "rapport.pdf : pas un PDF" in page and not CommitmentFramework.objects.filter(
        name="Autre").exists()  # fmt: skip


def test_only_the_coordination_imports(client, user_with_role, db):
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    assert client.post(reverse("commitments:import"), {}).status_code == 403


def test_a_refused_assessment_keeps_what_was_typed_and_names_the_id(client, framework, coordinator):
    _agreement, late, _soon, _government = framework
    client.force_login(coordinator)
    data = {"date": "2025-03-04", "score": 2, "evidence": "Rapport du comité de suivi",
            "source": "CSA", "links_text": "", "activity_ids": "kafo:424242",
            "transaction_ids": ""}  # fmt: skip
    response = client.post(reverse("commitments:assess", args=[late.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400 and not Assessment.objects.exists()
    assert 'value="2025-03-04"' in page and "Rapport du comité de suivi" in page
    assert 'value="kafo:424242"' in page
    # The error stands by its field, naming the id.
    error = page.split('id="id_activity_ids_error"', 1)[1].split("</ul>", 1)[0]
    assert "kafo:424242" in error
