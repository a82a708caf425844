"""The database itself refuses to change or delete audit events.

On PostgreSQL, UPDATE and DELETE raise; TRUNCATE (used only by test tear-down and by
the database owner) is left alone. On SQLite, UPDATE raises; DELETE is refused by the
ORM only, because Django's test flush empties tables with DELETE.
"""

from django.db import migrations

POSTGRESQL = """
CREATE OR REPLACE FUNCTION kafo_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER security_auditevent_append_only
    BEFORE UPDATE OR DELETE ON security_auditevent
    FOR EACH ROW EXECUTE FUNCTION kafo_audit_append_only();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS security_auditevent_append_only ON security_auditevent;
DROP FUNCTION IF EXISTS kafo_audit_append_only();
"""
SQLITE = """
CREATE TRIGGER security_auditevent_no_update BEFORE UPDATE ON security_auditevent
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS security_auditevent_no_update;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
