"""The `kafo` command: Django's management commands under one name, with plain errors.

`kafo import-boundaries PATH` runs the `import_boundaries` management command. Any
failure ends with one line on stderr and a non-zero exit, never a traceback
(set KAFO_TRACEBACK=1 to see one while developing).
"""

import os
import sys

KAFO_COMMANDS = {
    "serve": "serve the platform (waitress) on 127.0.0.1:$PORT",
    "migrate": "create or update the database tables",
    "demo": "load the demonstration data set for Mali",
    "import-boundaries": "import OCHA COD-AB boundaries (shapefile, GeoPackage, GeoJSON)",
    "check": "check the configuration (--deploy for production settings)",
}


def _usage() -> str:
    lines = ["usage: kafo COMMAND [options]", "", "Kafo commands:"]
    lines += [f"  {name:<20} {text}" for name, text in KAFO_COMMANDS.items()]
    lines += ["", "Every Django management command works too: kafo help --commands."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run one Kafo command and return its exit status."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kafo.settings")
    args = list(sys.argv[1:] if argv is None else argv)
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
        message = " ".join(str(error).split()) or error.__class__.__name__
        print(f"kafo {args[0]}: error: {message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
