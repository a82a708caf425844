"""The `kafo` command: Django's management commands under one name, with plain errors.

`kafo import-boundaries PATH` runs the `import_boundaries` management command. Any
failure ends with one line on stderr and a non-zero exit, never a traceback
(set KAFO_TRACEBACK=1 to see one while developing).
"""

import os
import sys


def _usage() -> str:
    from django.utils.translation import gettext as _

    commands = {
        "serve": _("serve the platform and run a worker, on 127.0.0.1:$PORT"),
        "worker": _("run background tasks (imports, plans, campaigns, periodic jobs)"),
        "migrate": _("create or update the database tables"),
        "demo": _("load the demonstration data set for Mali"),
        "import-boundaries": _("import OCHA COD-AB boundaries (shapefile, GeoPackage, GeoJSON)"),
        "check": _("check the configuration (--deploy for production settings)"),
    }
    lines = [_("usage: kafo COMMAND [options]"), "", _("Kafo commands:")]
    lines += [f"  {name:<20} {text}" for name, text in commands.items()]
    lines += ["", _("Every Django management command works too: kafo help --commands.")]
    return "\n".join(lines)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or error.__class__.__name__


def main(argv: list[str] | None = None) -> int:
    """Run one Kafo command and return its exit status."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kafo.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        import django

        django.setup()
    except Exception as error:  # a broken configuration, e.g. a malformed KAFO_DATABASE_URL
        if os.environ.get("KAFO_TRACEBACK"):
            raise
        print(f"kafo: configuration error: {_one_line(error)}", file=sys.stderr)
        return 1
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext as _

    translation.activate(settings.LANGUAGE_CODE)
    if not args or args[0] in {"-h", "--help"}:
        print(_usage())
        return 0
    command = args[0].replace("-", "_")
    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["kafo", command, *args[1:]])
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if os.environ.get("KAFO_TRACEBACK"):
            raise
        print(
            _("kafo %(command)s: error: %(message)s")
            % {"command": args[0], "message": _one_line(error)},
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
