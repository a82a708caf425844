"""Each Monday, whoever asked for it gets one e-mail of the documents and lessons added
since their last one that they may read; nothing when nothing is new; a donor never gets
what is for the partners."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from kafo.actors.models import Role
from kafo.library.models import DigestSubscription, LibraryItem
from kafo.library.tasks import send_library_digest
from kafo.sensitivity import PARTNERS, PUBLIC

pytestmark = pytest.mark.django_db


def _subscriber(user_with_role, role, name):
    person = user_with_role(role, username=name)
    person.email = f"{name}@example.org"
    person.save()
    DigestSubscription.objects.create(user=person)
    return person


def test_each_subscriber_gets_what_is_new_to_them_once(user_with_role):
    _subscriber(user_with_role, Role.PARTNER_VIEWER, "lecteur")
    _subscriber(user_with_role, Role.DONOR_VIEWER, "bailleur")
    quiet = user_with_role(Role.PARTNER_VIEWER, username="sans-abonnement")
    quiet.email = "quiet@example.org"
    quiet.save()
    LibraryItem.objects.create(title="Norme publique", item_type="imas", confidentiality=PUBLIC)
    LibraryItem.objects.create(title="Note aux partenaires", item_type="report",
                               confidentiality=PARTNERS)  # fmt: skip
    old = LibraryItem.objects.create(title="Ancienne", item_type="report", confidentiality=PUBLIC)
    LibraryItem.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30))  # fmt: skip
    assert send_library_digest.call() == 2
    by_person = {message.to[0]: message.body for message in mail.outbox}
    assert set(by_person) == {"lecteur@example.org", "bailleur@example.org"}
    assert "Norme publique" in by_person["lecteur@example.org"]
    assert "Note aux partenaires" in by_person["lecteur@example.org"]
    assert "Norme publique" in by_person["bailleur@example.org"]
    assert "Note aux partenaires" not in by_person["bailleur@example.org"]
    assert all("Ancienne" not in body for body in by_person.values())
    # A week later with nothing new: no e-mail; then only what is new since.
    assert send_library_digest.call() == 0 and len(mail.outbox) == 2
    LibraryItem.objects.create(title="Nouvelle fiche", item_type="form", confidentiality=PUBLIC)
    mail.outbox.clear()
    send_library_digest.call()
    [message] = [m for m in mail.outbox if m.to == ["lecteur@example.org"]]
    assert "Nouvelle fiche" in message.body and "Norme publique" not in message.body
