import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.commitments.notifications import notify


class Command(KafoCommand):
    help = gettext_lazy(
        "E-mail the users of each responsible organisation its commitments due within N days "
        "or overdue (run it daily, e.g. from cron)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=30, help=gettext_lazy("notice in days"))

    def handle(self, *args, days: int, **options):
        counts = notify(datetime.date.today(), days)
        self.stdout.write(_("%(emails)s e-mails sent to %(organisations)s organisations.")
                          % counts)  # fmt: skip
