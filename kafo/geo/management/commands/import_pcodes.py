from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.geo.pcodes import PcodeListError, import_pcode_list


class Command(KafoCommand):
    help = gettext_lazy(
        "Store a p-code list without geometry (OCHA's global p-codes layout: Location, Admin "
        "Level, P-Code, Name, Parent P-Code) as an inactive COD version, so that files using "
        "its codes can be imported with --cod-version."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--name", required=True, help=gettext_lazy("the version's name"))
        parser.add_argument("--source", default="", help=gettext_lazy("where the list comes from"))

    def handle(self, *args, path: str, name: str, source: str, **options) -> None:
        try:
            version = import_pcode_list(path, name, source=source)
        except PcodeListError as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(
            _("COD version %(name)s (%(country)s) stored with %(count)d units, not active.")
            % {"name": version.name, "country": version.country, "count": version.units.count()}
        )
