from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.actors.demo import (
    DEMO_PASSWORD,
    create_demo_actors,
    demo_logins,
    demo_second_factor_key,
)  # fmt: skip
from kafo.actors.models import Organisation
from kafo.commands import KafoCommand
from kafo.commitments.demo import create_demo_commitments
from kafo.communities.demo import create_demo_communities
from kafo.funding.demo import create_demo_funding
from kafo.geo.demo import DEMO_SOURCE, DEMO_VERSION, create_demo_settlements, demo_boundary_set
from kafo.geo.importing import write_boundary_set
from kafo.geo.models import CodVersion
from kafo.library.demo import create_demo_library
from kafo.meetings.demo import create_demo_meetings
from kafo.mineaction.demo import create_demo_mine_action
from kafo.response.demo import create_demo_response


class Command(KafoCommand):
    help = gettext_lazy(
        "Load the demonstration data set for Mali (deterministic; labelled as demo)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help=_("do nothing if the database holds data")
        )

    def handle(self, *args, **options):
        if options["if_empty"] and (CodVersion.objects.exists() or Organisation.objects.exists()):
            self.stdout.write(_("The database already holds data: demo not loaded."))
            return
        with transaction.atomic():
            if not CodVersion.objects.filter(country="MLI", name=DEMO_VERSION).exists():
                boundaries, population = demo_boundary_set()
                activate = not CodVersion.objects.filter(country="MLI", is_active=True).exists()
                write_boundary_set(
                    boundaries, DEMO_VERSION, source=DEMO_SOURCE, activate=activate,
                    is_demo=True, population=population,
                )  # fmt: skip
            demo = CodVersion.objects.filter(country="MLI", name=DEMO_VERSION).first()
            if demo is not None and demo.is_active:
                create_demo_settlements(demo)
            create_demo_actors()
            records = create_demo_mine_action()
            response = create_demo_response()
            create_demo_funding()
            create_demo_commitments()
            create_demo_communities()
            create_demo_library()
            create_demo_meetings()
            key = demo_second_factor_key()
        self.stdout.write(
            _("Demo loaded: approximate boundaries of Mali, organisations and users.")
        )
        self.stdout.write(
            _("Mine action: %(accidents)d validated accidents, %(victims)d victims (invented).")
            % records
        )
        self.stdout.write(
            _("Response: %(activities)d activities (5W), shared resources, donors' flows and a "
              "national mine action strategy (invented).") % {"activities": response["activities"]}
        )  # fmt: skip
        self.stdout.write(_("Demo logins (password %s):") % DEMO_PASSWORD)
        for username, organisation, role in demo_logins():
            self.stdout.write(f"  {username:<14} {organisation} · {role}")
        if key:
            self.stdout.write(
                _("The coordinator logs in with a second factor: add the key %s to an "
                  "authenticator application (FreeOTP, Aegis…).") % key
            )  # fmt: skip
