"""A COD version from a p-code list without geometry, in the layout of OCHA's global
p-codes (hdx-python-country): Location (ISO3), Admin Level, P-Code, Name, Parent P-Code.

Such a version is stored beside the boundaries, never active by itself: imports can read
files written with its codes (`--cod-version`), mapped to the active units that are the
same."""

import csv
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from kafo.geo.models import MAX_LEVEL, AdminUnit, CodVersion

COLUMNS = {"location": "country", "admin level": "level", "p-code": "pcode", "name": "name",
           "parent p-code": "parent"}  # fmt: skip


class PcodeListError(ValueError):
    """A p-code list that cannot be stored; the message says where and why."""


def read_pcode_list(path: Path | str) -> tuple[str, list[dict]]:
    """The country (ISO3) and the units of a p-code list, checked: every row's level is
    0 to 4, codes are unique, and each parent is a unit of the list one level up (or the
    country)."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise PcodeListError(_("no file %s") % path) from None
    except UnicodeDecodeError:
        raise PcodeListError(_("the file is not UTF-8 text")) from None
    reader = csv.reader(text.splitlines())
    header = [h.strip().lower() for h in next(reader, [])]
    at = {COLUMNS[h]: i for i, h in enumerate(header) if h in COLUMNS}
    if len(at) < len(COLUMNS):
        raise PcodeListError(
            _("the columns are Location, Admin Level, P-Code, Name and Parent P-Code")
        )
    units, countries, errors = {}, set(), []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cell = {key: (row[i].strip() if i < len(row) else "") for key, i in at.items()}
        countries.add(cell["country"].upper())
        code = cell["pcode"].upper()
        if not cell["level"].isdigit() or not 0 < int(cell["level"]) <= MAX_LEVEL:
            errors.append(_("line %(line)d: level “%(level)s” is not 1 to %(max)d")
                          % {"line": line, "level": cell["level"], "max": MAX_LEVEL})  # fmt: skip
        elif not code or not cell["name"]:
            errors.append(_("line %d: a p-code and a name are needed") % line)
        elif code in units:
            errors.append(_("line %(line)d: %(code)s is already on line %(first)d")
                          % {"line": line, "code": code, "first": units[code]["line"]})  # fmt: skip
        else:
            units[code] = {"line": line, "level": int(cell["level"]), "pcode": code,
                           "name": cell["name"], "parent": cell["parent"].upper()}  # fmt: skip
    if len(countries) != 1:
        errors.append(_("one country per list, not %s") % (", ".join(sorted(countries)) or "—"))
    country = next(iter(countries), "")
    for unit in units.values():
        parent = units.get(unit["parent"])
        if unit["level"] == 1:
            continue
        if parent is None or parent["level"] != unit["level"] - 1:
            errors.append(_("line %(line)d: the parent %(parent)s is not a unit of level "
                            "%(level)d of the list")
                          % {"line": unit["line"], "parent": unit["parent"] or "—",
                             "level": unit["level"] - 1})  # fmt: skip
    if errors:
        raise PcodeListError("; ".join(errors[:20]))
    if not units:
        raise PcodeListError(_("the file has no unit"))
    return country, list(units.values())


def import_pcode_list(path: Path | str, version_name: str, *, source: str = "") -> CodVersion:
    """Store a p-code list as an inactive COD version, all or nothing."""
    country, units = read_pcode_list(path)
    if CodVersion.objects.filter(country=country, name=version_name).exists():
        raise PcodeListError(_("%(country)s already has a COD version named %(name)s")
                             % {"country": country, "name": version_name})  # fmt: skip
    with transaction.atomic():
        version = CodVersion.objects.create(
            country=country, name=version_name, source=source or Path(path).name
        )
        ids: dict[str, int] = {}
        for level in sorted({u["level"] for u in units}):
            for unit in (u for u in units if u["level"] == level):
                ids[unit["pcode"]] = AdminUnit.objects.create(
                    cod_version=version, level=level, pcode=unit["pcode"], name=unit["name"],
                    parent_id=ids.get(unit["parent"]),
                ).pk  # fmt: skip
    return version
