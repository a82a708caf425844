"""IATI activities into Kafo: each activity becomes (or updates, by its IATI identifier) a
5W activity with its participating organisations and roles, its funding flows, and what
IATI says beyond the 5W kept in `Activity.iati`.

The file is read as a stream and written inside one transaction: memory stays flat, and
the batch commits whole or not at all (unless only the valid activities are wanted)."""

import datetime
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pycountry
from django.db import transaction
from django.utils.translation import gettext as _

from kafo.actors.models import Organisation
from kafo.actors.permissions import membership_of
from kafo.funding.conversion import apply_rates
from kafo.funding.models import Transaction, TransactionType
from kafo.geo.lookup import finest_units
from kafo.geo.models import AdminUnit, CodVersion, Settlement
from kafo.geo.names import fold
from kafo.interop.batches import PROGRESS_STEP
from kafo.interop.iati import IatiActivity, IatiError, iter_activities
from kafo.interop.models import BatchStatus, ImportBatch, RejectedRow
from kafo.interop.references import IATI_IDENTIFIER_LENGTH, Organisations, name_too_long
from kafo.response.catalogue import Sector
from kafo.response.models import (
    TITLE_LENGTH,
    Activity,
    ActivityParticipant,
    ActivityStatus,
    OrganisationRole,
)

# IATI ActivityStatus → Kafo.
STATUSES = {
    "1": ActivityStatus.PLANNED, "2": ActivityStatus.ONGOING, "3": ActivityStatus.COMPLETED,
    "4": ActivityStatus.COMPLETED, "5": ActivityStatus.CANCELLED, "6": ActivityStatus.SUSPENDED,
}  # fmt: skip
# IASC global clusters (sector vocabulary 10, IATI's HumanitarianGlobalClusters) → Kafo.
CLUSTERS = {
    "1": "CCM", "2": "ERY", "3": "EDU", "4": "SHL", "5": "TEL", "6": "FSC", "7": "HEA",
    "8": "LOG", "9": "NUT", "10": "PRO", "11": "WSH",
}  # fmt: skip
# OECD DAC purpose codes (vocabulary 1, five digits; 2, three digits) → Kafo, only where the
# code's published name (IATI Sector codelist) names one Kafo sector: "72040 Emergency food
# assistance" is food security; "72010 Material relief assistance" names none.
DAC_CROSSWALK = {
    "15250": "PRO-MIN", "15261": "PRO-CPN", "15180": "PRO-GBV", "72040": "FSC",
    "72011": "HEA", "72012": "EDU", "72050": "CSS", "73010": "ERY", "12240": "NUT",
    "111": "EDU", "112": "EDU", "113": "EDU", "114": "EDU", "121": "HEA", "122": "HEA",
    "123": "HEA", "140": "WSH", "520": "FSC",
}  # fmt: skip
DAC_SOURCE = "DAC purpose code names, IATI Sector codelist"
ROLES = {code for code, _label in OrganisationRole.choices}


def _dac(code: str) -> str | None:
    return DAC_CROSSWALK.get(code) or DAC_CROSSWALK.get(code[:3])


def kafo_sector(sectors: list[dict]) -> tuple[str, dict]:
    """The activity's Kafo sector and how it was found. The humanitarian global clusters
    (vocabulary 10) come first when the activity gives them: their largest share; else the
    largest DAC purpose code the crosswalk maps. Every sector stays in `Activity.iati`;
    none mapped gives "UNK" (not mapped), never another sector."""

    def share(sector: dict) -> float:
        return sector["percentage"] if sector["percentage"] is not None else 0.0

    clusters = [s for s in sectors if s["vocabulary"] == "10" and s["code"] in CLUSTERS]
    dac = [s for s in sectors if s["vocabulary"] in ("1", "2") and _dac(s["code"])]
    if clusters:
        top = max(clusters, key=share)
        # The clusters have no code for Protection's areas of responsibility (mine action,
        # child protection, GBV): a DAC code naming one refines Protection.
        areas = [s for s in dac if _dac(s["code"]).startswith("PRO-")]
        if CLUSTERS[top["code"]] == "PRO" and areas:
            area = max(areas, key=share)
            return _dac(area["code"]), {**top, "via": "humanitarian global clusters",
                                        "area_of_responsibility": area}  # fmt: skip
        return CLUSTERS[top["code"]], {**top, "via": "humanitarian global clusters"}
    if dac:
        top = max(dac, key=share)
        return _dac(top["code"]), {**top, "via": DAC_SOURCE}
    return Sector.UNMAPPED, {"via": "none"}


def kafo_state(activity: Activity) -> dict[str, str]:
    """Digests of what Kafo edits of an activity, part by part (title, description,
    status, dates, transactions), to tell which parts changed since it was imported."""
    flows = sorted(
        (t.type, str(t.date), str(t.value_date), str(t.amount), t.currency, t.description)
        for t in activity.transactions.all()
    )
    parts = {
        "title": activity.title, "description": activity.description,
        "status": activity.status,
        "dates": [str(getattr(activity, name)) for name in
                  ("planned_start", "actual_start", "planned_end", "actual_end")],
        "transactions": flows,
    }  # fmt: skip
    return {
        part: hashlib.sha256(json.dumps(value, default=str).encode()).hexdigest()[:16]
        for part, value in parts.items()
    }


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


class IatiWriter:
    """Writes checked activities; keeps the organisations it met across the file."""

    def __init__(self, batch: ImportBatch, country: str | None = None):
        self.batch = batch
        # The country the platform counts for (ISO 3166 alpha-2): a regional activity's
        # amounts count for its share.
        self.country = (country or _active_country()).upper()
        self.share_unknown = 0  # activities whose share for the country the file omits
        self.unplaced = 0  # locations in no admin unit
        self.rounded = 0  # amounts with more than two decimals, kept to the cent
        self._gazetteer: dict[str, int] | None = None
        self.pending = 0  # transactions stored without a rate yet
        self.organisations = Organisations()
        self.by_ref = {
            o.iati_identifier.upper(): o for o in Organisation.objects.exclude(iati_identifier="")
        }

    def notes(self) -> list[dict]:
        """What the batch tells beyond its activities."""
        told = [
            (self.pending, _("transactions stored in their own currency, waiting for an "
                             "exchange rate to be converted (kafo import-rates)")),
            (self.share_unknown, _("activities of several countries with no percentage for "
                                   "%s: their amounts count in full") % self.country),
            (self.unplaced, _("locations in no admin unit (a point outside the boundaries, "
                              "or a name no unit or settlement has)")),
            (self.rounded, _("amounts with more than two decimals, counted to the cent (the "
                             "file's exact value stays in the activity's IATI XML, which "
                             "export-iati publishes)")),
        ]  # fmt: skip
        return [{"count": count, "reason": reason} for count, reason in told if count]

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
                found.iati_identifier = org["ref"]
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
        if len(activity.title) > TITLE_LENGTH:
            reason = _("a title of more than %d characters") % TITLE_LENGTH
            errors.append({"column": "title", "value": activity.title[:80] + "…",
                           "reason": reason})  # fmt: skip
        for org in [activity.reporting_org, *activity.participants]:
            name = org.get("name") or org.get("ref") or ""
            if (reason := name_too_long(name)) is not None:
                errors.append({"column": "participating-org", "value": name[:80] + "…",
                               "reason": reason})  # fmt: skip
            if len(org.get("ref") or "") > IATI_IDENTIFIER_LENGTH:
                errors.append({"column": "participating-org/@ref", "value": org["ref"][:80],
                               "reason": _("an organisation identifier of more than %d "
                                           "characters") % IATI_IDENTIFIER_LENGTH})  # fmt: skip
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
            if pycountry.currencies.get(alpha_3=flow["currency"] or "USD") is None:
                errors.append({"column": "transaction/value/@currency", "value": flow["currency"],
                               "reason": _("not an ISO 4217 currency code")})  # fmt: skip
        return errors

    def write(self, activity: IatiActivity) -> None:
        implementing = [p for p in activity.participants if p["role"] == "4"]
        owner = None
        for candidate in [*implementing, activity.reporting_org]:
            owner = self.organisation(candidate)
            if owner is not None:
                break
        sector, mapping = kafo_sector(activity.sectors)
        values = {
            "organisation": owner,
            "title": activity.title or activity.identifier,
            "description": activity.description,
            "sector": sector,
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
                "sector_mapping": mapping, "texts": activity.texts, "related": activity.related,
                "country_share": activity.country_share(self.country) if self.country else None,
                "xml": activity.xml.decode("utf-8"),
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
        record.locations.set(self.places(activity))
        # What Kafo holds of it as imported: an export publishes the file's own activity
        # while these values are unchanged.
        record.iati["kafo_state"] = kafo_state(record)
        record.save(update_fields=["iati"])

    def places(self, activity: IatiActivity) -> list[int]:
        """The admin units of the activity's locations: the unit holding each point, else
        the unit (or settlement's unit) its name names, finest first."""
        points = [place["point"] for place in activity.locations if "point" in place]
        units = set()
        if points:
            found = finest_units([p[0] for p in points], [p[1] for p in points])
            units |= {int(unit) for unit in found if unit >= 0}
            self.unplaced += int((found < 0).sum())
        for place in activity.locations:
            if "point" in place or not place["name"]:
                continue
            unit = self.gazetteer().get(fold(place["name"]))
            if unit is None:
                self.unplaced += 1
            else:
                units.add(unit)
        return sorted(units)

    def gazetteer(self) -> dict[str, int]:
        """Folded names of the active units and settlements → the unit, where one unit
        (of the finest level naming it) or one settlement has the name."""
        if self._gazetteer is None:
            named: dict[str, dict[int, set[int]]] = {}
            for pk, level, name, alt in AdminUnit.objects.active().values_list(
                "pk", "level", "name", "alt_names"
            ):  # fmt: skip
                for label in [name, *(alt or [])]:
                    named.setdefault(fold(label), {}).setdefault(level, set()).add(pk)
            self._gazetteer = {}
            for key, levels in named.items():
                finest = levels[max(levels)]
                if len(finest) == 1:
                    self._gazetteer[key] = next(iter(finest))
            villages: dict[str, set[int]] = {}
            active = Settlement.objects.active().filter(admin_unit__isnull=False)
            for name, unit in active.values_list("name", "admin_unit"):
                villages.setdefault(fold(name), set()).add(unit)
            for key, found in villages.items():
                if key not in self._gazetteer and len(found) == 1:
                    self._gazetteer[key] = next(iter(found))
        return self._gazetteer

    def _transactions(self, record: Activity, activity: IatiActivity) -> None:
        Transaction.objects.filter(activity=record, source_id__startswith="iati:").delete()
        reporter = self.organisation(activity.reporting_org) or record.organisation
        share = activity.country_share(self.country) if self.country else 1.0
        if share is None:
            self.share_unknown += 1
            share = 1.0
        for index, flow in enumerate(activity.transactions, start=1):
            incoming = flow["type"] in ("1", "11", "13")
            provider = self.organisation(flow["provider"]) or (
                reporter if not incoming else record.organisation
            )
            receiver = self.organisation(flow["receiver"]) or (
                record.organisation if incoming else reporter
            )
            # Stored in its own currency and amount, with its sign (a negative value is a
            # reversal or a reimbursement); converted now if a rate is known, else later.
            amount = Decimal(flow["value"] or 0)
            self.rounded += amount != amount.quantize(Decimal("0.01"))
            stored = Transaction(
                type=flow["type"], provider=provider, receiver=receiver, activity=record,
                date=_date(flow["date"]), value_date=_date(flow["value_date"][:10]),
                amount=amount.quantize(Decimal("0.01")), currency=flow["currency"] or "USD",
                humanitarian=flow["humanitarian"] or activity.humanitarian,
                country_share=Decimal(str(share)).quantize(Decimal("0.0001"))
                if not flow["recipient_country"] or not self.country
                else Decimal(flow["recipient_country"] == self.country),
                description=flow["description"], source_id=f"iati:{index}",
            )  # fmt: skip
            if not apply_rates(stored):
                self.pending += 1
            stored.save()


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

    path = Path(path)
    membership = membership_of(user)
    batch = batch or ImportBatch(kind="iati", filename=path.name[:255])
    batch.kind = "iati"
    batch.created_by = user if getattr(user, "pk", None) else None
    batch.organisation_id = membership.organisation_id if membership else None
    batch.accept_valid = accept_valid
    batch.columns = []
    batch.status = BatchStatus.RUNNING
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
            writer = IatiWriter(batch, country)
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
    batch.pending = writer.pending if accepted else 0
    batch.notes = writer.notes() if accepted else []
    batch.status = (
        BatchStatus.REJECTED if rejected and not accept_valid
        else BatchStatus.PARTIAL if rejected else BatchStatus.IMPORTED
    )  # fmt: skip
    batch.rows_total = batch.rows_done = batch.accepted + batch.rejected
    batch.save()
    RejectedRow.objects.bulk_create(rejected)
    return batch


def _active_country() -> str:
    """The alpha-2 code of the one active boundaries' country, or ""."""

    countries = set(CodVersion.objects.filter(is_active=True).values_list("country", flat=True))
    if len(countries) != 1:
        return ""
    found = pycountry.countries.get(alpha_3=countries.pop())
    return found.alpha_2 if found else ""


def _iati_error(error: Exception, path: Path) -> str:
    if isinstance(error, FileNotFoundError):
        return _("no file %s") % path
    return str(error)
