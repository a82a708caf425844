"""The search index, each database its own way (kafo.library.search):

- PostgreSQL: the `unaccent` extension, a French configuration `kafo_fr` that takes the
  accents off before the French stemmer, and a GIN index on the entries' weighted vectors.
- SQLite: an FTS5 index of the entries' stems, kept in step by triggers."""

from django.db import migrations

from kafo.library.search import CONFIG

ENTRY_VECTOR = (
    f"(setweight(to_tsvector('{CONFIG}', title), 'A') || "
    f"setweight(to_tsvector('{CONFIG}', body), 'B'))"
)
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
            CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION {CONFIG}
                ALTER MAPPING FOR hword, hword_part, word, asciiword, asciihword,
                                  hword_asciipart
                WITH unaccent, french_stem;
        END IF;
    END $$""",
    f"CREATE INDEX library_search_vector ON library_searchentry USING GIN ({ENTRY_VECTOR})",
]
POSTGRESQL_BACK = ["DROP INDEX IF EXISTS library_search_vector"]
SQLITE = [
    "CREATE VIRTUAL TABLE library_search_fts USING fts5(stemmed_title, stemmed_body, "
    "content='library_searchentry', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER library_search_fts_insert AFTER INSERT ON library_searchentry BEGIN "
    "INSERT INTO library_search_fts (rowid, stemmed_title, stemmed_body) "
    "VALUES (new.id, new.stemmed_title, new.stemmed_body); END",
    "CREATE TRIGGER library_search_fts_delete AFTER DELETE ON library_searchentry BEGIN "
    "INSERT INTO library_search_fts (library_search_fts, rowid, stemmed_title, stemmed_body) "
    "VALUES ('delete', old.id, old.stemmed_title, old.stemmed_body); END",
    "CREATE TRIGGER library_search_fts_update AFTER UPDATE ON library_searchentry BEGIN "
    "INSERT INTO library_search_fts (library_search_fts, rowid, stemmed_title, stemmed_body) "
    "VALUES ('delete', old.id, old.stemmed_title, old.stemmed_body); "
    "INSERT INTO library_search_fts (rowid, stemmed_title, stemmed_body) "
    "VALUES (new.id, new.stemmed_title, new.stemmed_body); END",
]
SQLITE_BACK = [
    "DROP TRIGGER IF EXISTS library_search_fts_insert",
    "DROP TRIGGER IF EXISTS library_search_fts_delete",
    "DROP TRIGGER IF EXISTS library_search_fts_update",
    "DROP TABLE IF EXISTS library_search_fts",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_BACK, "sqlite": SQLITE_BACK}),
        ),
    ]
