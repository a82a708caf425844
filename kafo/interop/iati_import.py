"""IATI activities into Kafo: each activity becomes (or updates, by its IATI identifier) a
5W activity with its participating organisations and roles, its funding flows, and what
IATI says beyond the 5W kept in `Activity.iati`.

The file is read as a stream and written inside one transaction: memory stays flat, and
the batch commits whole or not at all (unless only the valid activities are wanted)."""

import datetime
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from kafo.actors.models import Organisation
from kafo.funding.conversion import MissingRate, rates_for
from kafo.funding.models import Transaction, TransactionType
from kafo.interop.batches import PROGRESS_STEP
from kafo.interop.iati import IatiActivity, IatiError, iter_activities
from kafo.interop.models import BatchStatus, ImportBatch, RejectedRow
from kafo.interop.references import Organisations
from kafo.response.models import Activity, ActivityParticipant, ActivityStatus, OrganisationRole
from kafo.web import background

# IATI ActivityStatus → Kafo.
STATUSES = {
    "1": ActivityStatus.PLANNED, "2": ActivityStatus.ONGOING, "3": ActivityStatus.COMPLETED,
    "4": ActivityStatus.COMPLETED, "5": ActivityStatus.CANCELLED, "6": ActivityStatus.SUSPENDED,
}  # fmt: skip
# IASC global clusters (sector vocabulary 10) → Kafo sectors.
CLUSTERS = {
    "1": "CCM", "2": "ERY", "3": "EDU", "4": "SHL", "5": "TEL", "6": "FSC", "7": "HEA",
    "8": "LOG", "9": "NUT", "10": "PRO", "11": "WSH",
}  # fmt: skip
# OECD DAC purpose codes (vocabulary 1, five digits; 2, three digits) → Kafo, longest first.
DAC = {
    "15250": "PRO-MIN", "15261": "PRO-CPN", "15180": "PRO-GBV", "152": "PRO", "151": "PRO",
    "720": "SHL", "72040": "FSC", "72050": "LOG", "730": "ERY", "740": "ERY", "121": "HEA",
    "122": "HEA", "123": "HEA", "12240": "NUT", "111": "EDU", "112": "EDU", "113": "EDU",
    "114": "EDU", "140": "WSH", "311": "FSC", "520": "FSC", "930": "CSS", "998": "CSS",
}  # fmt: skip
ROLES = {code for code, _label in OrganisationRole.choices}


def kafo_sector(sectors: list[dict]) -> str:
    """The Kafo sector of the activity's largest sector that Kafo knows; "CSS" when none
    (the full list stays in `Activity.iati`)."""
    ranked = sorted(sectors, key=lambda s: -(s["percentage"] if s["percentage"] is not None else 0))
    for sector in ranked:
        code, vocabulary = sector["code"], sector["vocabulary"]
        if vocabulary == "10" and code in CLUSTERS:
            return CLUSTERS[code]
        if vocabulary in ("1", "2"):
            for length in (5, 3):
                if code[:length] in DAC:
                    return DAC[code[:length]]
    return "CSS"


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


class IatiWriter:
    """Writes checked activities; keeps the organisations it met across the file."""

    def __init__(self, batch: ImportBatch):
        self.batch = batch
        self.organisations = Organisations()
        self.by_ref = {
            o.iati_identifier.upper(): o for o in Organisation.objects.exclude(iati_identifier="")
        }

    def organisation(self, org: dict) -> Organisation | None:
        ref = org.get("ref", "").upper()
        if ref and ref in self.by_ref:
            return self.by_ref[ref]
        name = org.get("name") or org.get("ref")
        if not name:
            return None
        found = self.organisations.resolve(name)
        if found.pk is None:
            if ref and not Organisation.objects.filter(iati_identifier__iexact=ref).exists():
                found.iati_identifier = org["ref"][:100]
            found.save()
        if ref:
            self.by_ref.setdefault(ref, found)
        return found

    def check(self, activity: IatiActivity) -> list[dict]:
        """Reasons the activity cannot be imported (element, value, reason)."""
        errors = [
            {"column": p.element, "value": p.value, "reason": p.reason} for p in activity.problems
        ]
        if activity.status and activity.status not in STATUSES:
            errors.append({"column": "activity-status", "value": activity.status,
                           "reason": _("unknown IATI activity status (1 to 6)")})  # fmt: skip
        for participant in activity.participants:
            if participant["role"] not in ROLES:
                errors.append({"column": "participating-org/@role", "value": participant["role"],
                               "reason": _("unknown IATI organisation role (1 to 4)")})  # fmt: skip
        owners = [p for p in activity.participants if p["role"] == "4" and (p["name"] or p["ref"])]
        if not owners and not (activity.reporting_org.get("name")
                               or activity.reporting_org.get("ref")):  # fmt: skip
            errors.append({"column": "participating-org", "value": "",
                           "reason": _("no implementing or reporting organisation")})  # fmt: skip
        types = {code for code, _label in TransactionType.choices}
        for flow in activity.transactions:
            if flow["type"] not in types:
                errors.append({"column": "transaction-type", "value": flow["type"],
                               "reason": _("transaction type not kept by Kafo (1, 2, 3, 4, 11, "
                                           "12, 13)")})  # fmt: skip
            elif not flow["date"]:
                errors.append({"column": "transaction-date", "value": "",
                               "reason": _("a transaction needs a date")})  # fmt: skip
        return errors

    def write(self, activity: IatiActivity) -> None:
        implementing = [p for p in activity.participants if p["role"] == "4"]
        owner = None
        for candidate in [*implementing, activity.reporting_org]:
            owner = self.organisation(candidate)
            if owner is not None:
                break
        values = {
            "organisation": owner,
            "title": (activity.title or activity.identifier)[:255],
            "description": activity.description,
            "sector": kafo_sector(activity.sectors),
            "status": STATUSES.get(activity.status, ActivityStatus.PLANNED),
            "planned_start": _date(activity.dates.get("1", "")),
            "actual_start": _date(activity.dates.get("2", "")),
            "planned_end": _date(activity.dates.get("3", "")),
            "actual_end": _date(activity.dates.get("4", "")),
            "iati": {
                "version": activity.version, "humanitarian": activity.humanitarian,
                "hierarchy": activity.hierarchy, "reporting_org": activity.reporting_org,
                "sectors": activity.sectors, "recipient_countries": activity.recipient_countries,
                "recipient_regions": activity.recipient_regions, "locations": activity.locations,
                "budgets": activity.budgets, "humanitarian_scopes": activity.humanitarian_scopes,
                "other_identifiers": activity.other_identifiers,
                "transactions_without_rate": [],
            },
        }  # fmt: skip
        budgets = [b for b in activity.budgets if b["value"] and b["status"] != "1"] or [
            b for b in activity.budgets if b["value"]
        ]
        if budgets and len({b["currency"] for b in budgets}) == 1:
            values["budget"] = sum(Decimal(b["value"]) for b in budgets)
            values["currency"] = budgets[0]["currency"] or "USD"
        values["points"] = [place["point"] for place in activity.locations if "point" in place]
        record = Activity.objects.filter(source_id=activity.identifier).first()
        if record is None:
            record = Activity.objects.create(source_id=activity.identifier, **values)
            self.batch.created += 1
        else:
            for key, value in values.items():
                setattr(record, key, value)
            record.save()
            self.batch.updated += 1
        record.participants.all().delete()
        for participant in activity.participants:
            organisation = self.organisation(participant)
            if organisation is not None:
                ActivityParticipant.objects.get_or_create(
                    activity=record, organisation=organisation, role=participant["role"]
                )
        self._transactions(record, activity)

    def _transactions(self, record: Activity, activity: IatiActivity) -> None:
        Transaction.objects.filter(activity=record, source_id__startswith="iati:").delete()
        reporter = self.organisation(activity.reporting_org) or record.organisation
        missing = []
        for index, flow in enumerate(activity.transactions, start=1):
            incoming = flow["type"] in ("1", "11", "13")
            provider = self.organisation(flow["provider"]) or (
                reporter if not incoming else record.organisation
            )
            receiver = self.organisation(flow["receiver"]) or (
                record.organisation if incoming else reporter
            )
            on = _date(flow["value_date"][:10] or flow["date"])
            try:
                rates = rates_for(flow["currency"] or "USD", on)
            except MissingRate:
                missing.append(flow)  # kept with the activity; imported again once rated
                continue
            Transaction.objects.create(
                type=flow["type"], provider=provider, receiver=receiver, activity=record,
                date=_date(flow["date"]), amount=abs(Decimal(flow["value"] or 0)),
                currency=flow["currency"] or "USD", rate_to_usd=rates.to_usd,
                rate_to_xof=rates.to_xof, rate_date=rates.date, rate_source=rates.source,
                humanitarian=flow["humanitarian"] or activity.humanitarian,
                description=flow["description"][:255], source_id=f"iati:{index}",
            )  # fmt: skip
        if missing:
            record.iati["transactions_without_rate"] = missing
            record.save(update_fields=["iati"])


class _Rollback(Exception):
    """Raised to undo a batch that must not commit."""


def import_iati(
    path: Path | str,
    *,
    country: str | None = None,
    user=None,
    accept_valid: bool = False,
    batch: ImportBatch | None = None,
    progress=None,
    **_options,
) -> ImportBatch:
    """Import an IATI activity file as one batch (an activity is a row of the report)."""
    from kafo.actors.permissions import membership_of

    path = Path(path)
    membership = membership_of(user)
    batch = batch or ImportBatch(kind="iati", filename=path.name[:255])
    batch.kind = "iati"
    batch.created_by = user if getattr(user, "pk", None) else None
    batch.organisation_id = membership.organisation_id if membership else None
    batch.accept_valid = accept_valid
    batch.columns = []
    batch.status = BatchStatus.RUNNING
    batch.runner = background.this_process()
    batch.save()
    rejected: list[RejectedRow] = []
    step = [0]

    def report(done: int, total: int) -> None:
        if progress:
            progress(done, total)
        step[0] += 1
        if step[0] % PROGRESS_STEP == 0:
            # Progress of an IATI file is in kilobytes read (an integer column holds it).
            ImportBatch.objects.filter(pk=batch.pk).update(
                rows_done=done // 1024, rows_total=max(total // 1024, 1)
            )

    accepted = 0
    try:
        with transaction.atomic():
            writer = IatiWriter(batch)
            for activity in iter_activities(path, country=country, progress=report):
                errors = writer.check(activity)
                if errors:
                    rejected.append(RejectedRow(
                        batch=batch, row=activity.number, errors=errors,
                        values={"iati-identifier": activity.identifier, "title": activity.title},
                    ))  # fmt: skip
                    continue
                with transaction.atomic():
                    writer.write(activity)
                accepted += 1
            if rejected and not accept_valid:
                raise _Rollback
    except _Rollback:
        batch.created = batch.updated = accepted = 0
    except (IatiError, OSError) as error:
        batch.status, batch.file_error = BatchStatus.FAILED, _iati_error(error, path)
        batch.created = batch.updated = batch.accepted = 0
        batch.save()
        return batch
    batch.accepted = accepted
    batch.rejected = len(rejected)
    batch.status = (
        BatchStatus.REJECTED if rejected and not accept_valid
        else BatchStatus.PARTIAL if rejected else BatchStatus.IMPORTED
    )  # fmt: skip
    batch.rows_total = batch.rows_done = batch.accepted + batch.rejected
    batch.save()
    RejectedRow.objects.bulk_create(rejected)
    return batch


def _iati_error(error: Exception, path: Path) -> str:
    if isinstance(error, FileNotFoundError):
        return _("no file %s") % path
    return str(error)
