"""Writing checked 5W rows in bulk: a few statements per thousand rows instead of a
dozen per row.

Rows are dicts of Activity field values plus `organisation_id`, `source_id`, `locations`
(admin unit ids) and `funders` (organisation ids). A value of None leaves the field as it
is (or at its default for a new activity). Rows are identified by (organisation,
source id), or by "kafo:<id>" for a row exported from Kafo; a later row of the same batch
updates an earlier one. The batch itself is the audit record of what it wrote.
"""

import datetime
import enum
import operator
from collections.abc import Callable, Iterable, Iterator

from django.db import connection

from kafo.data_version import bulk_writing
from kafo.interop.models import ImportBatch
from kafo.response.models import Activity, ActivityParticipant, OrganisationRole

CHUNK = 5_000
FIELDS = [f for f in Activity._meta.concrete_fields if not f.primary_key]
COLUMNS = {f.name if not f.is_relation else f.attname: f for f in FIELDS}


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _merge(rows: Iterable[dict]) -> tuple[dict, dict]:
    """Rows by identity: (organisation, source id) → values, and Kafo id → values. The
    rows are taken over: a later row of the same identity is merged into the first."""
    by_key: dict[tuple[int, str], dict] = {}
    by_pk: dict[int, dict] = {}
    for row in rows:
        source = row["source_id"]
        if source.startswith("kafo:") and source[5:].isdigit():
            target, key = by_pk, int(source[5:])
        else:
            target, key = by_key, (row["organisation_id"], source)
        if key in target:
            merged = target[key]
            merged.update({k: v for k, v in row.items() if v is not None})
        else:
            target[key] = row
    return by_key, by_pk


def _prepared(field, value):
    # JSON columns need the database's own wrapping (jsonb on PostgreSQL).
    return field.get_db_prep_save(value, connection) if field.get_internal_type() == "JSONField" \
        else value  # fmt: skip


def _defaults() -> dict:
    values = {}
    for name, field in COLUMNS.items():
        values[name] = field.get_default() if field.has_default() else None
        if field.get_internal_type() in ("CharField", "TextField") and values[name] is None:
            values[name] = ""
    return values


def write_activities(batch: ImportBatch, rows: Iterable[dict]) -> None:
    """Insert or update the rows' activities, their admin units and participants, in one
    transaction that moves the data version once."""
    tables = (Activity, Activity.locations.through, ActivityParticipant)
    with bulk_writing(*(model._meta.db_table for model in tables)):
        _write_activities(batch, rows)


def _write_activities(batch: ImportBatch, rows: Iterable[dict]) -> None:
    by_key, by_pk = _merge(rows)
    organisations = {org for org, _source in by_key}
    organisations |= {values["organisation_id"] for values in by_pk.values()}
    existing = _identities(organisations)
    # An exported row updates its activity only if it is the same organisation's.
    owners = {}
    for chunk in _chunks(sorted(by_pk), 500):  # SQLite takes so many variables at most
        owners.update(Activity.objects.filter(pk__in=chunk).values_list("pk", "organisation_id"))
    updates: dict[int, dict] = {}
    inserts: dict[tuple[int, str], dict] = {}
    for pk, values in by_pk.items():
        if owners.get(pk) == values["organisation_id"]:
            updates[pk] = {k: v for k, v in values.items() if k != "source_id"}
        else:
            inserts[(values["organisation_id"], values["source_id"])] = values
    if existing or inserts:
        for key, values in by_key.items():
            if key in existing:
                updates[existing[key]] = values
            else:
                inserts[key] = values
    else:  # only new activities (a first import): every row is one
        inserts = by_key
    new_ids = _insert(list(inserts.values()))
    _update(updates)
    # In the order of the activities (the indexes grow at their end; already so when
    # nothing is updated).
    written = list(zip(new_ids, inserts.values(), strict=True))
    if updates:
        written = sorted([*written, *updates.items()], key=operator.itemgetter(0))
    _links(written, set(updates))
    batch.created += len(inserts)
    batch.updated += len(updates)


def _identities(organisations: set[int]) -> dict[tuple[int, str], int]:
    """(organisation, source id) → activity id, for these organisations' activities (read
    as plain rows: a million of them through the ORM took seconds)."""
    table = connection.ops.quote_name(Activity._meta.db_table)
    found = {}
    with connection.cursor() as cursor:
        for chunk in _chunks(sorted(organisations), 500):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT id, organisation_id, source_id FROM {table} "
                           f"WHERE organisation_id IN ({marks})", chunk)  # fmt: skip
            found.update({(org, source): pk for pk, org, source in cursor.fetchall()})
    return found


def _new_ids(count: int) -> list[int]:
    """Ids for `count` new activities, taken before writing them (rather than reading a
    million rows back to learn them). On SQLite the bulk transaction already holds the
    one write lock (Kafo begins its transactions IMMEDIATE, and the triggers were dropped
    in it), so no other connection takes these ids meanwhile; on PostgreSQL the sequence
    hands them out."""
    if not count:
        return []
    table = Activity._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
            highest = cursor.fetchone()[0]
            # AUTOINCREMENT never gives an id again, even one of a deleted row.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            used = cursor.fetchone()
            start = max(highest, used[0] if used else 0) + 1
            return list(range(start, start + count))
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _insert(rows: list[dict]) -> list[int]:
    """Insert the rows as new activities; their ids, in the rows' order."""
    ids = _new_ids(len(rows))
    constants = {n: _prepared(COLUMNS[n], value) for n, value in _defaults().items()}
    json_names = {n for n in COLUMNS if COLUMNS[n].get_internal_type() == "JSONField"}
    if connection.vendor == "sqlite":
        constants = {n: _plain(v) for n, v in constants.items()}
    shapes: dict[tuple[str, ...], tuple[str, Callable[[dict], tuple], tuple, list[str]]] = {}
    as_plain: dict = {}
    # Consecutive rows giving the same columns share one statement (most files: all).
    runs: list[tuple[str, list[tuple]]] = []
    last_keys = None
    for pk, row in zip(ids, rows, strict=True):
        # A row gives a dozen of the columns: the others, and its Nones, take the default.
        if None in row.values() or not json_names.isdisjoint(row):
            row = {k: v for k, v in row.items() if v is not None}
            for name in json_names.intersection(row):
                row[name] = _prepared(COLUMNS[name], row[name])
        keys = tuple(row)
        if keys != last_keys:
            if keys not in shapes:
                shapes[keys] = _insert_shape(row, constants)
            sql, given, rest, adapted = shapes[keys]
            runs.append((sql, params := []))
            last_keys = keys
        for name in adapted:
            value = row[name]
            plain = as_plain.get(value)
            if plain is None:
                plain = as_plain[value] = _plain(value)
            row[name] = plain
        params.append((pk, *given(row), *rest))
    with connection.cursor() as cursor:
        for sql, params in runs:
            for chunk in _chunks(params):
                cursor.executemany(sql, chunk)
    return ids


def _insert_shape(row: dict, constants: dict):
    """For rows with the keys of `row`: the INSERT statement, what takes a row's values,
    the default values of the other columns (the keys that are no column, as locations,
    are not read), and the columns whose values are given to SQLite plain (`_plain`):
    those `row` gives as a date, a choice or a boolean (a later row that differs is
    adapted by sqlite3 itself, to the same stored value)."""
    given = [k for k in row if k in COLUMNS]
    others = [n for n in COLUMNS if n not in given]
    quote = connection.ops.quote_name
    columns = ", ".join(["id", *(quote(COLUMNS[n].column) for n in [*given, *others])])
    marks = ", ".join(["%s"] * (1 + len(COLUMNS)))
    sql = f"INSERT INTO {quote(Activity._meta.db_table)} ({columns}) VALUES ({marks})"
    rest = tuple(constants[n] for n in others)
    adapted = [] if connection.vendor != "sqlite" else [
        n for n in given if _plain(row[n]) is not row[n]
    ]  # fmt: skip
    if len(given) == 1:
        (name,) = given
        return sql, lambda row: (row[name],), rest, adapted
    return sql, operator.itemgetter(*given), rest, adapted


def _plain(value):
    """A value as SQLite's adapters store it, for the types sqlite3 would otherwise adapt
    through Python at each value (a million rows' dates and statuses took longer than
    writing the rest of them): a date as ISO text, a choice as its value, a boolean as
    0 or 1."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def _update(updates: dict[int, dict]) -> None:
    table = connection.ops.quote_name(Activity._meta.db_table)
    groups: dict[tuple[str, ...], list[tuple]] = {}
    for pk, values in updates.items():
        names = tuple(n for n in COLUMNS if values.get(n) is not None and n != "organisation_id")
        groups.setdefault(names, []).append(
            (*(_prepared(COLUMNS[n], values[n]) for n in names), pk)
        )
    with connection.cursor() as cursor:
        for names, params in groups.items():
            if not names:
                continue
            assignments = ", ".join(f"{connection.ops.quote_name(COLUMNS[n].column)} = %s"
                                    for n in names)  # fmt: skip
            for chunk in _chunks(params):
                cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", chunk)


def _links(written: list[tuple[int, dict]], updated: set[int]) -> None:
    """Admin units (replaced) and participants (implementing, funding: added if missing)."""
    through = Activity.locations.through
    updated_ids = sorted(updated)
    for chunk in _chunks(updated_ids, 500):
        through.objects.filter(activity_id__in=chunk).delete()
    present = set()
    for chunk in _chunks(updated_ids, 500):
        present |= set(
            ActivityParticipant.objects.filter(activity_id__in=chunk).values_list(
                "activity_id", "organisation_id", "role"
            )
        )
    # Each once, in the order of the activities.
    implementing, funding = OrganisationRole.IMPLEMENTING.value, OrganisationRole.FUNDING.value
    places: list[tuple[int, int]] = []
    missing: list[tuple[int, int, str]] = []
    for pk, values in written:
        units = values["locations"]
        if len(units) == 1:  # most rows: one place, its implementing organisation only
            places.append((pk, units[0]))
        else:
            places.extend((pk, unit) for unit in dict.fromkeys(units))
        participants = [(pk, values["organisation_id"], implementing)]
        if funders := values.get("funders"):
            participants = list(dict.fromkeys(
                [*participants, *((pk, funder, funding) for funder in funders)]
            ))  # fmt: skip
        missing.extend(p for p in participants if p not in present)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        sql = (f"INSERT INTO {quote(through._meta.db_table)} (activity_id, adminunit_id) "
               "VALUES (%s, %s)")  # fmt: skip
        for chunk in _chunks(places):
            cursor.executemany(sql, chunk)
        sql = (f"INSERT INTO {quote(ActivityParticipant._meta.db_table)} "
               "(activity_id, organisation_id, role) VALUES (%s, %s, %s)")  # fmt: skip
        for chunk in _chunks(missing):
            cursor.executemany(sql, chunk)
