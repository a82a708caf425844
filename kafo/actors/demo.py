"""Real organisations of mine action and assistance in Mali, and one demo user per role.

The organisations and their IATI identifiers are real; the users are not.
"""

from django.contrib.auth import get_user_model

from kafo.actors.models import Membership, Organisation, OrganisationType, Role

DEMO_PASSWORD = "kafo-demo"
T = OrganisationType

# name, acronym, type, IATI identifier, other names
ORGANISATIONS = [
    ("Commission nationale de lutte contre la prolifération des armes légères et de petit calibre",
     "CNLPAL", T.NATIONAL_AUTHORITY, "", ["Commission nationale ALPC"]),
    ("Direction nationale du développement social", "DNDS", T.GOVERNMENT, "", []),
    ("Direction du Génie militaire (Forces armées maliennes)", "Génie militaire", T.GOVERNMENT, "",
     ["Génie militaire FAMa"]),
    ("Service de la lutte antimines des Nations Unies", "UNMAS", T.UN_AGENCY, "",
     ["United Nations Mine Action Service"]),
    ("Fonds des Nations Unies pour l'enfance", "UNICEF", T.UN_AGENCY, "XM-DAC-41122",
     ["United Nations Children's Fund"]),
    ("Haut-Commissariat des Nations Unies pour les réfugiés", "HCR", T.UN_AGENCY, "XM-DAC-41121",
     ["UNHCR", "United Nations High Commissioner for Refugees"]),
    ("Programme des Nations Unies pour le développement", "PNUD", T.UN_AGENCY, "XM-DAC-41114",
     ["UNDP", "United Nations Development Programme"]),
    ("Bureau de la coordination des affaires humanitaires", "OCHA", T.UN_AGENCY, "",
     ["Office for the Coordination of Humanitarian Affairs"]),
    ("Organisation internationale pour les migrations", "OIM", T.UN_AGENCY, "XM-DAC-47066",
     ["IOM", "International Organization for Migration"]),
    ("Programme alimentaire mondial", "PAM", T.UN_AGENCY, "XM-DAC-41140",
     ["WFP", "World Food Programme"]),
    ("Humanité & Inclusion", "HI", T.INTERNATIONAL_NGO, "",
     ["Handicap International", "Humanity & Inclusion"]),
    ("Danish Refugee Council", "DRC", T.INTERNATIONAL_NGO, "DK-CVR-20699310",
     ["Conseil danois pour les réfugiés", "Danish Demining Group", "DDG"]),
    ("Mines Advisory Group", "MAG", T.INTERNATIONAL_NGO, "GB-CHC-1083008", []),
    ("Norwegian Refugee Council", "NRC", T.INTERNATIONAL_NGO, "NO-BRC-977538319",
     ["Conseil norvégien pour les réfugiés"]),
    ("Comité international de la Croix-Rouge", "CICR", T.RED_CROSS, "",
     ["ICRC", "International Committee of the Red Cross"]),
    ("Croix-Rouge malienne", "CRM", T.RED_CROSS, "", ["Mali Red Cross"]),
    ("Association malienne pour la survie au Sahel", "AMSS", T.NATIONAL_NGO, "", []),
    ("Protection civile et opérations d'aide humanitaire européennes", "ECHO", T.DONOR,
     "XI-IATI-EC_ECHO", ["European Civil Protection and Humanitarian Aid Operations"]),
    ("Agence française de développement", "AFD", T.DONOR, "FR-3", ["French Development Agency"]),
    ("Foreign, Commonwealth & Development Office", "FCDO", T.DONOR, "GB-GOV-1",
     ["Royaume-Uni FCDO"]),
    ("U.S. Department of State, Office of Weapons Removal and Abatement", "PM/WRA", T.DONOR, "",
     ["Département d'État des États-Unis"]),
    ("Auswärtiges Amt", "GFFO", T.DONOR, "", ["German Federal Foreign Office",
     "Ministère fédéral allemand des Affaires étrangères"]),
]  # fmt: skip

# username, organisation acronym, role
GRAND_BARGAIN = {"CRM": "rc_national_society", "CICR": "international"}

USERS = [
    ("coordination", "CNLPAL", Role.COORDINATOR),
    ("editeur.hi", "HI", Role.PARTNER_EDITOR),
    ("lecteur.drc", "DRC", Role.PARTNER_VIEWER),
    ("bailleur.echo", "ECHO", Role.DONOR_VIEWER),
]


def create_demo_actors() -> None:
    """Create (or complete) the demo organisations and users; safe to run twice."""
    for name, acronym, kind, iati, alt_names in ORGANISATIONS:
        Organisation.objects.update_or_create(
            acronym=acronym,
            defaults={"name": name, "type": kind, "iati_identifier": iati, "alt_names": alt_names},
        )
    User = get_user_model()
    for username, acronym, role in USERS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(DEMO_PASSWORD)
        # The coordinator maintains reference data in the Django admin.
        user.is_staff = user.is_superuser = role == Role.COORDINATOR
        user.save()
        Membership.objects.update_or_create(
            user=user,
            defaults={"organisation": Organisation.objects.get(acronym=acronym), "role": role},
        )
    # The Grand Bargain's categories where the type does not tell them.
    for acronym, category in GRAND_BARGAIN.items():
        Organisation.objects.filter(acronym=acronym, localisation="").update(localisation=category)
    _demo_accreditations()


# (organisation, activity, years valid from a year ago: negative = expired, 0 = within 60 days)
ACCREDITATIONS = [("MAG", "EOD", 3), ("MAG", "NTS", 3), ("MAG", "TS", 3), ("MAG", "CLR", 3),
                  ("HI", "EORE", 2), ("HI", "VA", 2), ("DRC", "NTS", 0), ("DRC", "EORE", 2),
                  ("AMSS", "EORE", 2), ("AMSS", "NTS", -1)]  # fmt: skip


def _demo_accreditations() -> None:
    """The national authority's register: who may do which work (one expiring soon, one
    expired)."""
    import datetime

    from django.utils import timezone

    from kafo.actors.models import Accreditation

    if Accreditation.objects.exists():
        return
    today = timezone.localdate()
    issuer = Organisation.objects.filter(acronym="CNLPAL").first()
    for acronym, activity, years in ACCREDITATIONS:
        holder = Organisation.objects.filter(acronym=acronym).first()
        if holder is None:
            continue
        issued = today - datetime.timedelta(days=365)
        expires = (today + datetime.timedelta(days=45) if years == 0
                   else today - datetime.timedelta(days=30) if years < 0
                   else issued + datetime.timedelta(days=365 * years))  # fmt: skip
        if years < 0:
            issued = expires - datetime.timedelta(days=365)
        Accreditation.objects.create(
            organisation=holder, activity=activity, issuer=issuer, standard="nmas",
            standard_reference="NNLAM 07.30 (démo)", reference=f"ACC-{acronym}-{activity}",
            issued=issued, expires=expires,
            conditions="Assurance qualité par l'autorité nationale." if activity == "CLR" else "",
        )  # fmt: skip


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, organisation, role) of the demo users that exist."""
    from django.db import DatabaseError

    try:
        memberships = Membership.objects.filter(
            user__username__in=[u for u, _, _ in USERS]
        ).select_related("user", "organisation")
        return [
            (m.user.username, m.organisation.acronym, m.get_role_display()) for m in memberships
        ]
    except DatabaseError:
        return []


def demo_second_factor_key() -> str | None:
    """The demo coordinator's TOTP key (made once), grouped for typing into an app."""
    from base64 import b32encode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.filter(username=USERS[0][0]).first()
    if user is None:
        return None
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "démo"}
    )
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
