"""The analyses' answers computed once per change of the data.

The **data version** is a counter that the database itself moves, with triggers on every
table of the domains (actors, geography, mine action, response, funding, commitments,
communities). No write path escapes it: ORM saves, `bulk_create`, `QuerySet.update`,
deletes, the admin, raw SQL, migrations.

- On SQLite a trigger per row adds 1 in the writing transaction (SQLite has one writer
  at a time anyway).
- On PostgreSQL a trigger per statement notes, once per transaction, that it changed
  data. A deferred trigger then adds 1 when that transaction commits. The counter's row
  is therefore locked only during the commit, not for the length of a long import.

In both, the new version becomes visible with the data, in the same commit. An answer
is cached (Django's cache: a table of the database, shared by every process) under the
version read *before* it is computed. An answer is therefore never older than the
version it is kept under. Migrations may rebuild tables (SQLite drops their triggers
then), so every `migrate` installs the triggers again and adds 1.

The engine's answer is cached, never the page: the disclosure layer still applies to
each reader."""

import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone
from django.utils.translation import get_language

from kafo.data_version import DOMAIN_PREFIXES, NOT_READ, data_version

# An answer is kept a day at most (an unused version's answers go by themselves).
KEEP_SECONDS = 24 * 3600
# While one process computes an answer, the others that ask for it wait for it (so long
# at most, then compute it themselves) rather than all compute the same thing at once.
WAIT_SECONDS = 60
POLL_SECONDS = 0.2


def domain_tables(using: str = "default") -> list[str]:
    """The tables whose changes move the data version."""
    tables = connections[using].introspection.table_names()
    return sorted(t for t in tables if t.startswith(DOMAIN_PREFIXES) and t not in NOT_READ)


def install_triggers(using: str = "default") -> None:
    """Create the counter and the triggers (idempotent), and add 1: run after every
    `migrate`."""
    db = connections[using]
    with db.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS kafo_data_version "
                       "(id INTEGER PRIMARY KEY, version BIGINT NOT NULL)")  # fmt: skip
        cursor.execute("INSERT INTO kafo_data_version (id, version) SELECT 1, 0 WHERE NOT "
                       "EXISTS (SELECT 1 FROM kafo_data_version WHERE id = 1)")  # fmt: skip
        if db.vendor == "postgresql":
            _install_postgresql(cursor, domain_tables(using))
        else:
            _install_sqlite(cursor, domain_tables(using))
        cursor.execute("UPDATE kafo_data_version SET version = version + 1 WHERE id = 1")


def _install_sqlite(cursor, tables: list[str]) -> None:
    bump = "UPDATE kafo_data_version SET version = version + 1 WHERE id = 1;"
    for table in NOT_READ:
        for event in ("insert", "update", "delete"):
            cursor.execute(f'DROP TRIGGER IF EXISTS "kafo_version_{table}_{event}"')
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            cursor.execute(
                f'CREATE TRIGGER IF NOT EXISTS "kafo_version_{table}_{event.lower()}" '
                f'AFTER {event} ON "{table}" BEGIN {bump} END'
            )


def _install_postgresql(cursor, tables: list[str]) -> None:
    cursor.execute("CREATE TABLE IF NOT EXISTS kafo_data_change (txid BIGINT PRIMARY KEY)")
    cursor.execute("""
        CREATE OR REPLACE FUNCTION kafo_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF current_setting('kafo.changed', true) IS DISTINCT FROM txid_current()::text THEN
            PERFORM set_config('kafo.changed', txid_current()::text, true);
            INSERT INTO kafo_data_change VALUES (txid_current()) ON CONFLICT DO NOTHING;
          END IF;
          RETURN NULL;
        END $$""")
    cursor.execute("""
        CREATE OR REPLACE FUNCTION kafo_bump_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE kafo_data_version SET version = version + 1 WHERE id = 1;
          DELETE FROM kafo_data_change WHERE txid = NEW.txid;
          RETURN NULL;
        END $$""")
    cursor.execute("DROP TRIGGER IF EXISTS kafo_bump_at_commit ON kafo_data_change")
    cursor.execute(
        "CREATE CONSTRAINT TRIGGER kafo_bump_at_commit AFTER INSERT ON kafo_data_change "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kafo_bump_at_commit()"
    )
    for table in NOT_READ:
        cursor.execute(f'DROP TRIGGER IF EXISTS "kafo_version" ON "{table}"')
    for table in tables:
        cursor.execute(
            f'CREATE OR REPLACE TRIGGER "kafo_version" AFTER INSERT OR UPDATE OR DELETE OR '
            f'TRUNCATE ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION kafo_note_change()'
        )


def answer_key(name: str, options: dict[str, Any], version: int) -> str:
    """The cache key of an analysis's answer for these options, in this language."""
    text = json.dumps(options, sort_keys=True, default=str)
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    return f"kafo:analysis:{name}:{get_language() or ''}:{digest}:{version}"


def _latest_key(name: str, options: dict[str, Any]) -> str:
    return answer_key(name, options, -1)


def keep(name: str, options: dict[str, Any], version: int, answer: dict) -> None:
    """Keep an answer computed on the data at `version` (and as the latest one)."""
    cache.set(answer_key(name, options, version), answer, KEEP_SECONDS)
    latest = cache.get(_latest_key(name, options))
    if latest is None or latest["version"] <= version:
        cache.set(_latest_key(name, options),
                  {"version": version, "answer": answer, "at": timezone.now()},
                  KEEP_SECONDS)  # fmt: skip


def cached_answer(name: str, options: dict[str, Any], compute: Callable[[], dict],
                  refresh: Callable[[], object] | None = None) -> tuple[dict, Any]:  # fmt: skip
    """(answer, None): the analysis's answer for the data as it is, from the cache when it
    was computed for this version of the data, else computed now and kept.

    With `refresh` (a page), when only an answer for older data is kept, that answer is
    given at once with the time it was computed, (answer, computed_at), so that the page
    says so, and `refresh()` is called once per version to compute the new one in the
    background."""
    if not settings.KAFO_ANALYSIS_CACHE:
        return compute(), None
    version = data_version()  # before computing: the answer is never older than its key
    answer = cache.get(answer_key(name, options, version))
    if answer is not None:
        return answer, None
    if refresh is not None:
        latest = cache.get(_latest_key(name, options))
        if latest is not None and latest["version"] < version:
            if cache.add(answer_key(name, options, version) + ":refreshing", 1, 120):
                refresh()
            return latest["answer"], latest["at"]
    return _computed_once(name, options, version, compute), None


def _computed_once(name: str, options: dict[str, Any], version: int,
                   compute: Callable[[], dict]) -> dict:  # fmt: skip
    """The answer for `version`: computed here and kept, or, when another process is
    already computing it, the one it keeps."""
    key = answer_key(name, options, version)
    computing = key + ":computing"
    if not cache.add(computing, 1, WAIT_SECONDS):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            answer = cache.get(key)
            if answer is not None:
                return answer
            if cache.get(computing) is None:  # the other one failed: compute it here
                break
        return _compute_and_keep(name, options, version, compute)
    try:
        return _compute_and_keep(name, options, version, compute)
    finally:
        cache.delete(computing)


def _compute_and_keep(name: str, options: dict[str, Any], version: int,
                      compute: Callable[[], dict]) -> dict:  # fmt: skip
    answer = compute()
    keep(name, options, version, answer)
    return answer
