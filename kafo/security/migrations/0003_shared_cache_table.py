"""The table of Django's database cache, where the per-user limits of heavy work are
counted, so that every web process, on every machine, counts the same."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS kafo_cache")


class Migration(migrations.Migration):
    dependencies = [("security", "0002_audit_append_only")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
