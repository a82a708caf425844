"""Demo library: the International Mine Action Standards a Malian coordinator reads first,
by their real public titles and references, with short summaries written for Kafo (no
text of the standards is shipped: each points to its publisher); a lesson learned linked
to a hazard and a risk education activity of the demo; and a collection."""

from django.db import transaction

from kafo.actors.models import Organisation
from kafo.library.models import Collection, ItemType, Lesson, LibraryItem, Pillar, RecordLink
from kafo.library.services import link
from kafo.sensitivity import PARTNERS, PUBLIC

SOURCE = "UNMAS / GICHD — International Mine Action Standards"
LICENCE = "Texte intégral chez l'éditeur : www.mineactionstandards.org"
# (reference, French title, English title, pillar, summary written for Kafo)
STANDARDS = [
    ("IMAS 05.10", "Gestion de l'information pour la lutte antimines",
     "Information management for mine action", Pillar.INFORMATION,
     "Ce que le système d'information d'un programme national doit permettre : enregistrer "
     "les zones dangereuses, les accidents et les activités de remise à disposition des "
     "terres, partager les données entre opérateurs et appuyer les décisions de "
     "planification et de priorisation."),
    ("IMAS 07.30", "Accréditation des organisations de lutte antimines",
     "Accreditation of mine action organisations", Pillar.COORDINATION,
     "Comment l'autorité nationale accrédite les opérateurs pour chaque activité (enquête, "
     "dépollution, neutralisation des engins explosifs, éducation aux risques) : dossier, "
     "évaluation sur le terrain, conditions, durée de validité et suspension."),
    ("IMAS 08.10", "Enquête non technique", "Non-technical survey", Pillar.LAND_RELEASE,
     "Collecter et analyser les informations sur une zone suspecte sans intervention "
     "technique : entretiens avec la communauté, indices, délimitation des zones "
     "dangereuses soupçonnées et confirmées, et annulation des terres sans preuve de "
     "contamination."),
    ("IMAS 09.10", "Exigences relatives à la dépollution", "Clearance requirements",
     Pillar.LAND_RELEASE,
     "Ce qu'une zone dépolluée doit garantir : la profondeur et les engins visés, le "
     "contrôle qualité, la remise des terres et la documentation transmise à l'autorité "
     "nationale."),
    ("IMAS 12.10", "Éducation aux risques des engins explosifs (EREE)",
     "Explosive ordnance risk education", Pillar.EORE,
     "Planifier, mener et suivre l'éducation aux risques : analyse des besoins, messages "
     "adaptés à l'âge, au genre et au handicap, canaux (séances directes, relais "
     "communautaires, médias) et mesure des changements de comportement."),
    ("IMAS 13.10", "Assistance aux victimes dans la lutte antimines",
     "Victim assistance in mine action", Pillar.VICTIM_ASSISTANCE,
     "Le rôle des acteurs de la lutte antimines auprès des survivants et des familles : "
     "collecte des données, orientation vers les services de santé, de réadaptation et "
     "d'inclusion socio-économique, et coordination avec les autres secteurs."),
]  # fmt: skip


@transaction.atomic
def create_demo_library() -> dict[str, int]:
    """The demo items, a lesson and a collection (once)."""
    if LibraryItem.objects.filter(is_demo=True).exists():
        return {"items": LibraryItem.objects.filter(is_demo=True).count()}
    organisations = {o.acronym: o for o in Organisation.objects.filter(
        acronym__in=["UNMAS", "CNLPAL", "HI"])}  # fmt: skip
    items = {}
    for reference, title, title_en, pillar, summary in STANDARDS:
        items[reference] = LibraryItem.objects.create(
            title=title, title_en=title_en, summary=summary, item_type=ItemType.IMAS,
            pillar=pillar, language="fr", countries=[], source_name=SOURCE,
            imas_reference=reference, licence=LICENCE, confidentiality=PUBLIC, is_demo=True,
            source_organisation=organisations.get("UNMAS"),
            organisation=organisations.get("CNLPAL"),  # added by the national authority
        )  # fmt: skip
    hi = organisations.get("HI")
    lesson = Lesson.objects.create(
        title="Les relais communautaires touchent les femmes que les séances directes "
              "manquent",
        pillar=Pillar.EORE, themes=["gender"], countries=["ML"], organisation=hi,
        confidentiality=PARTNERS, evidence_item=items["IMAS 12.10"],
        context="Cercle de Bandiagara, 2025 : villages proches de zones dangereuses "
                "confirmées, routes coupées une partie de l'année.",
        challenge="Les séances directes réunissaient surtout des hommes ; les femmes, qui "
                  "ramassent le bois près des zones dangereuses, venaient peu.",
        action="Formation de relais communautaires femmes, séances au puits et au marché, "
               "messages en bambara et en fulfulde.",
        result="La part de femmes touchées est passée d'environ un quart à près de la "
               "moitié en six mois (chiffres de démonstration).",
        lesson="Le lieu et la personne qui parle comptent autant que le message.",
        recommendation="Prévoir des relais femmes dès la planification d'une campagne "
                       "d'éducation aux risques, et suivre les chiffres par sexe.",
        applicability="Zones rurales du centre où la mobilité des femmes est limitée.",
        evidence="Rapports mensuels de l'opérateur (démonstration).",
    )  # fmt: skip
    _link_to_demo_records(lesson)
    collection = Collection.objects.create(
        title="Éducation aux risques dans le centre, 2025",
        description="Les normes et les leçons à lire avant de planifier une campagne "
                    "d'éducation aux risques à Mopti et Ségou.",
    )  # fmt: skip
    collection.items.set([items["IMAS 12.10"], items["IMAS 13.10"]])
    return {"items": len(items), "lessons": 1, "links": RecordLink.objects.count()}


def _link_to_demo_records(lesson: Lesson) -> None:
    from django.apps import apps

    hazard = apps.get_model("mineaction", "Hazard").objects.order_by("reference").first()
    activity = (apps.get_model("response", "Activity").objects
                .filter(activity_type="EORE").order_by("pk").first())  # fmt: skip
    for record in (hazard, activity):
        if record is not None:
            link(lesson, record)
