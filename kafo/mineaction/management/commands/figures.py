import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.geo.models import AdminUnit
from kafo.mineaction.figures import official_figures
from kafo.numbers import whole


class Command(KafoCommand):
    help = gettext_lazy(
        "Official mine action figures from validated records, national or for one admin unit."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--pcode", default="", help=gettext_lazy("p-code of an admin unit"))
        parser.add_argument("--year", type=int, help=gettext_lazy("only this year"))
        parser.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))

    def handle(self, *args, pcode: str = "", year: int | None = None, **options) -> None:
        pcode = pcode.strip()
        if pcode and not AdminUnit.objects.active().filter(pcode=pcode).exists():
            raise CommandError(_("no admin unit %s in the active boundaries") % pcode)
        figures = official_figures(pcode or None, year)
        if options["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("Remaining contaminated area: %s m²") % whole(figures["remaining_area_m2"])
        )
        for key, label in (
            ("released_area_m2", _("Released (m²)")), ("casualties", _("Casualties")),
            ("eore_beneficiaries", _("Risk education beneficiaries")),
            ("assistance", _("Assistance delivered")),
        ):  # fmt: skip
            self.stdout.write(label)
            for year_, values in figures[key].items():
                self.stdout.write(f"  {year_}: {whole(values['total'])}")
