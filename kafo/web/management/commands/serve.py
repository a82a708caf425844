import os

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.actors.demo import DEMO_PASSWORD, demo_logins
from kafo.commands import KafoCommand


def waitress_options(threads: int) -> dict:
    """waitress's options. Behind a reverse proxy (KAFO_BEHIND_PROXY), waitress trusts
    the proxy at KAFO_TRUSTED_PROXY for X-Forwarded-Proto and -For (it strips them from
    anyone else): without this it dropped them, so Kafo redirected https requests to https
    again (a loop) and logged the proxy's address instead of the client's."""
    from django.conf import settings

    options = {"threads": threads, "ident": "kafo"}
    if settings.KAFO_BEHIND_PROXY:
        options.update(
            trusted_proxy=settings.KAFO_TRUSTED_PROXY, trusted_proxy_count=1,
            trusted_proxy_headers={"x-forwarded-proto", "x-forwarded-for"},
            clear_untrusted_proxy_headers=True,
        )  # fmt: skip
    return options


class Command(KafoCommand):
    help = gettext_lazy(
        "Serve Kafo with waitress (a production WSGI server); static files from the packages."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
        parser.add_argument("--host", default=os.environ.get("KAFO_HOST", "127.0.0.1"))
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, **options):
        from waitress import serve

        # Only when serving: building the application loads every app and URL.
        from kafo.wsgi import application

        port = options["port"]
        if not 0 < port < 65536:
            raise CommandError(_("the port must be between 1 and 65535, not %d") % port)
        self.stdout.write(
            _("Kafo is served on http://%(host)s:%(port)d/")
            % {"host": options["host"], "port": port}
        )
        logins = demo_logins()
        if logins:
            self.stdout.write(_("Demo logins (password %s):") % DEMO_PASSWORD)
            for username, organisation, role in logins:
                self.stdout.write(f"  {username:<14} {organisation} · {role}")
        self.stdout.write(_("Stop with Ctrl+C."))
        try:
            serve(application, host=options["host"], port=port,
                  **waitress_options(options["threads"]))  # fmt: skip
        except OSError as error:
            raise CommandError(
                _("cannot listen on port %(port)d: %(error)s") % {"port": port, "error": error}
            ) from error
