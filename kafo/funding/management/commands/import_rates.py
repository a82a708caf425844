from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.funding.rates import RatesError, load_rates


class Command(KafoCommand):
    help = gettext_lazy(
        "Load exchange rates from a CSV file (currency, date, to_usd, source; or the IMF "
        "layout Date, Rate, Currency, Source), all or nothing, then convert the "
        "transactions waiting for a rate."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument(
            "--source", default="", help=gettext_lazy("the source of rows that name none")
        )

    def handle(self, *args, path: str, source: str, **options) -> None:
        try:
            report = load_rates(path, source=source)
        except RatesError as error:
            raise CommandError(f"{path}: {error}") from None
        if report.errors:
            for line, reason in report.errors[:50]:
                self.stderr.write(_("line %(line)d: %(reason)s") % {"line": line, "reason": reason})
            raise CommandError(_("Rows refused: %d; no rate was loaded.") % len(report.errors))
        self.stdout.write(
            _("Rates: %(created)d added, %(updated)d replaced. Transactions converted: "
              "%(converted)d; still waiting for a rate: %(still)d.")
            % {"created": report.created, "updated": report.updated,
               "converted": report.converted, "still": report.still_pending}
        )  # fmt: skip
