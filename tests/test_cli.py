import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kafo.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run_kafo(*args: str) -> subprocess.CompletedProcess:
    """The real console command, in a fresh process, as a user would type it."""
    return subprocess.run(
        [sys.executable, "-m", "kafo", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120, env=dict(os.environ),
    )  # fmt: skip


def test_usage_lists_the_kafo_commands(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "Commandes Kafo" in out
    for command in ["serve", "migrate", "demo", "import-boundaries"]:
        assert command in out


def test_an_unknown_command_fails_in_one_line():
    result = run_kafo("no-such-command")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "no_such_command" in result.stderr


def test_a_missing_path_fails_cleanly_in_french():
    result = run_kafo("import-boundaries", "/no/such/folder")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "/no/such/folder: aucun fichier ni dossier de ce nom" in result.stderr


def test_a_bad_option_value_fails_cleanly():
    result = run_kafo("serve", "--port", "eighty")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "--port" in result.stderr


def test_an_unexpected_error_is_one_line(monkeypatch, capsys):
    import django.core.management

    def explode(argv):
        raise RuntimeError("disk full\nsecond line")

    monkeypatch.setattr(django.core.management, "execute_from_command_line", explode)
    assert main(["migrate"]) == 1
    assert capsys.readouterr().err == "kafo migrate : erreur : disk full second line\n"


def test_a_malformed_database_url_is_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "kafo", "migrate"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={**os.environ, "KAFO_DATABASE_URL": "nosuchdb://x"},
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("kafo: configuration error:")
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_import_boundaries_json_report(tiny_cod, capsys):
    assert main(["import-boundaries", str(tiny_cod), "--version", "2024", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["version"] == "2024"
    assert report["levels"] == {"0": 1, "1": 2, "2": 4}
    assert report["errors"] == []


@pytest.mark.django_db
def test_import_boundaries_json_report_with_errors_exits_non_zero(tmp_path, capsys):
    assert main(["import-boundaries", str(tmp_path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["errors"][0]["file"] == str(tmp_path)
    assert report["errors"][0]["feature"] is None


def test_command_help_is_in_french():
    result = run_kafo("import-boundaries", "--help")
    assert result.returncode == 0
    assert "Importer les limites COD-AB" in result.stdout
    assert "afficher le rapport en JSON" in result.stdout
