"""The documentation stays in step with the code, in the manner of Datasette's test_docs:
every `kafo` command of Kafo's own is in docs/commands.md, every KAFO_ setting in
docs/configuration.md, every analysis of the registry in docs/definitions.md and
docs/adding-an-analysis.md's list, and every link between the README and docs/ leads to
a file that exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
COMMANDS = (DOCS / "commands.md").read_text(encoding="utf-8")
CONFIGURATION = (DOCS / "configuration.md").read_text(encoding="utf-8")


def test_every_kafo_command_is_documented():
    commands = sorted(
        path.stem.replace("_", "-")
        for path in (ROOT / "kafo").glob("*/management/commands/*.py")
        if not path.stem.startswith("_")
    )
    missing = [name for name in commands if f"kafo {name}" not in COMMANDS]
    assert commands and missing == []


def test_every_setting_is_documented():
    settings = (ROOT / "kafo" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r"\b(KAFO_[A-Z_]+)\b", settings))
    # Grouped rows list a family once: `KAFO_EMAIL_HOST`, `_PORT`, ...
    documented = set(re.findall(r"`(KAFO_[A-Z_]+)`", CONFIGURATION))
    families = {name.rsplit("_", 1)[0] for name in documented}
    for suffix in re.findall(r"`(_[A-Z_]+)`", CONFIGURATION):
        documented |= {family + suffix for family in families}
    assert sorted(names - documented) == []


def test_every_analysis_is_documented():
    from kafo.coordination.registry import ANALYSES

    definitions = (DOCS / "definitions.md").read_text(encoding="utf-8")
    for name in ANALYSES:
        assert f"**{name}**" in definitions, name
        assert name in COMMANDS, name


def test_the_readme_is_an_on_ramp():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme.split("\n## ")[0] and "make test" in readme
    assert len(readme.splitlines()) <= 180


def test_links_to_the_docs_lead_somewhere():
    for source in [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted(DOCS.glob("*.md"))]:
        text = source.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#:]+)\)|src=\"([^\"]+)\"", text):
            target = next(t for t in target if t)
            if target.startswith("http"):
                continue
            assert (source.parent / target).exists(), (source.name, target)


def test_the_data_protection_classes_are_those_of_the_code():
    from kafo.sensitivity import classes_table

    text = (ROOT / "docs" / "data-protection.md").read_text(encoding="utf-8")
    assert classes_table() in text, "regenerate the table with classes_table()"
