import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.actors.models import Organisation
from kafo.commands import KafoCommand
from kafo.intake.kobo import IntakeError
from kafo.intake.models import IntakeSource, Platform
from kafo.intake.pull import pull, reconcile
from kafo.intake.xlsforms import FORM_KINDS


class Command(KafoCommand):
    help = gettext_lazy(
        "Field intake: add a KoBoToolbox or ODK Central form as a source of field reports, "
        "list the sources, pull their submissions, reconcile them with the source's, give "
        "ODK Central the open hazards as an Entity List."
    )

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add")
        platforms = add.add_subparsers(dest="platform", required=True)
        kobo = platforms.add_parser("kobo")
        kobo.add_argument("--url", required=True)
        kobo.add_argument("--asset", required=True, metavar="UID")
        kobo.add_argument("--token-env", required=True, metavar="VAR")
        odk = platforms.add_parser("odk")
        odk.add_argument("--url", required=True)
        odk.add_argument("--project", required=True, type=int, metavar="N")
        odk.add_argument("--form", required=True, metavar="ID")
        odk.add_argument("--user-env", required=True, metavar="VAR")
        odk.add_argument("--password-env", required=True, metavar="VAR")
        for platform in (kobo, odk):
            platform.add_argument("--organisation", required=True, metavar="NAME")
            platform.add_argument("--kind", required=True, choices=list(FORM_KINDS))
            platform.add_argument("--name")
            platform.add_argument("--json", action="store_true")
        actions.add_parser("list")
        pulling = actions.add_parser("pull")
        pulling.add_argument("source", nargs="?", metavar="SOURCE")
        pulling.add_argument("--full", action="store_true")
        pulling.add_argument("--json", action="store_true")
        reconciling = actions.add_parser("reconcile")
        reconciling.add_argument("source", nargs="?", metavar="SOURCE")
        reconciling.add_argument("--json", action="store_true")
        publishing = actions.add_parser("hazards")
        publishing.add_argument("source", nargs="?", metavar="SOURCE")
        publishing.add_argument("--json", action="store_true")

    def handle(self, *args, **options) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _add(self, options) -> None:
        name = options["organisation"].strip()
        organisation = Organisation.objects.filter(Q(acronym__iexact=name) | Q(name__iexact=name))
        if organisation.count() != 1:
            raise CommandError(_("%(name)s: no single organisation has this name or acronym.")
                               % {"name": name})  # fmt: skip
        if options["platform"] == Platform.ODK:
            where = {
                "project_id": options["project"],
                "form_id": options["form"],
                "user_env": options["user_env"],
                "password_env": options["password_env"],
            }
            default_name = f"odk-{options['project']}-{options['form']}"
        else:
            where = {"asset_uid": options["asset"], "token_env": options["token_env"]}
            default_name = f"kobo-{options['asset']}"  # fmt: skip
        source_name = options["name"] or default_name
        if IntakeSource.objects.filter(name=source_name).exists():
            raise CommandError(_("A source is already named %(name)s.") % {"name": source_name})
        source = IntakeSource(
            name=source_name, platform=options["platform"], url=options["url"],
            organisation=organisation.get(), kind=options["kind"], **where,
        )  # fmt: skip
        try:
            source.full_clean()
        except ValidationError as error:
            said = [f"--{name.replace('_', '-')}: {' '.join(messages)}"
                    for name, messages in error.message_dict.items()]  # fmt: skip
            raise CommandError("; ".join(said)) from error
        source.save()
        if options["json"]:
            self.stdout.write(json.dumps({"id": source.pk}))
        else:
            self.stdout.write(_("Source %(name)s added (%(id)s).")
                              % {"name": source.name, "id": source.pk})  # fmt: skip

    def _list(self, options) -> None:
        for source in IntakeSource.objects.select_related("organisation"):
            pulled = source.last_pull_at.isoformat() if source.last_pull_at else "-"
            self.stdout.write(f"{source.pk}\t{source.name}\t{source.platform}\t{source.kind}\t"
                              f"{source.organisation}\t{pulled}\t{source.last_error}")  # fmt: skip

    def _hazards(self, options) -> None:
        from kafo.intake.odk import publish_hazards
        from kafo.intake.tasks import odk_projects
        from kafo.intake.xlsforms import hazard_rows

        sources = odk_projects()
        if wanted := options["source"]:
            sources = [s for s in sources if wanted in (s.name, str(s.pk))]
            if not sources:
                raise CommandError(_("No ODK Central source %(name)s.") % {"name": wanted})
        rows = list(hazard_rows())
        totals = {"created": 0, "updated": 0, "deleted": 0}
        failed = []
        for source in sources:
            try:
                for key, value in publish_hazards(source, rows).items():
                    totals[key] += value
            except IntakeError as error:
                failed.append(f"{source.name}: {error}")
        if options["json"]:
            self.stdout.write(json.dumps({**totals, "hazards": len(rows), "errors": failed},
                                         ensure_ascii=False))  # fmt: skip
        else:
            said = _("%(hazards)d open hazards: %(created)d created, %(updated)d updated, "
                     "%(deleted)d deleted.")  # fmt: skip
            self.stdout.write(said % {**totals, "hazards": len(rows)})
        if failed:
            raise CommandError("; ".join(failed))

    def _reconcile(self, options) -> None:
        self._pull({**options, "full": True}, reconcile_them=True)

    def _pull(self, options, reconcile_them: bool = False) -> None:
        sources = IntakeSource.objects.all()
        if wanted := options["source"]:
            sources = sources.filter(
                Q(name=wanted) | Q(pk=int(wanted) if wanted.isdigit() else None)
            )
            if not sources.exists():
                raise CommandError(_("No source %(name)s.") % {"name": wanted})
        totals = {"pulled": 0, "created": 0, "updated": 0, "flagged": 0, "rejected": 0}
        errors: list[dict] = []
        failed = []
        for source in sources:
            try:
                counts = reconcile(source) if reconcile_them else pull(source, options["full"])
            except IntakeError as error:
                failed.append(f"{source.name}: {error}")
                errors.append({"submission": "", "reason": f"{source.name}: {error}"})
                continue
            for key in totals:
                totals[key] += counts[key]
            errors += counts["errors"]
        if options["json"]:
            self.stdout.write(json.dumps({**totals, "errors": errors}, ensure_ascii=False))
        else:
            self.stdout.write(_("%(pulled)d pulled, %(created)d field reports, %(flagged)d "
                                "flagged, %(rejected)d rejected.") % totals)  # fmt: skip
        if failed:
            raise CommandError("; ".join(failed))
