"""The documentation stays in step with the code: every `kafo` command of Kafo's own is
in the README's command table, every KAFO_ setting is in docs/deployment.md, and every
link between the README and docs/ leads to a file that exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DEPLOYMENT = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")


def test_every_kafo_command_is_documented():
    commands = sorted(
        path.stem.replace("_", "-")
        for path in (ROOT / "kafo").glob("*/management/commands/*.py")
        if not path.stem.startswith("_")
    )
    missing = [name for name in commands if f"kafo {name}" not in README]
    assert commands and missing == []


def test_every_setting_is_documented():
    settings = (ROOT / "kafo" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r"\b(KAFO_[A-Z_]+)\b", settings))
    # Grouped rows list a family once: `KAFO_EMAIL_HOST`, `_PORT`, ...
    documented = set(re.findall(r"`(KAFO_[A-Z_]+)`", DEPLOYMENT))
    families = {name.rsplit("_", 1)[0] for name in documented}
    for suffix in re.findall(r"`(_[A-Z_]+)`", DEPLOYMENT):
        documented |= {family + suffix for family in families}
    assert sorted(names - documented) == []


def test_links_to_the_docs_lead_somewhere():
    for source in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = source.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#:]+)\)|src=\"([^\"]+)\"", text):
            target = next(t for t in target if t)
            if target.startswith("http"):
                continue
            assert (source.parent / target).exists(), (source.name, target)


def test_the_data_protection_classes_are_those_of_the_code():
    from kafo.security.sensitivity import classes_table

    text = (ROOT / "docs" / "data-protection.md").read_text(encoding="utf-8")
    assert classes_table() in text, "regenerate the table with classes_table()"
