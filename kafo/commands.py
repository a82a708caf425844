"""The base of Kafo's management commands."""

from typing import Any

from django.core.management.base import BaseCommand


class KafoCommand(BaseCommand):
    """A management command whose help text is translated when it is shown."""

    help: Any = ""  # a lazy translation, made a string in create_parser

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse needs a real string; the lazy one is resolved in the active language.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)
