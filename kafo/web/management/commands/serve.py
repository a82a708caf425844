import os
import signal
import threading

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


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict:
    """gunicorn's options: `workers` processes of `threads` threads each; behind a proxy
    it trusts KAFO_TRUSTED_PROXY's forwarded headers, as waitress does."""
    from django.conf import settings

    options = {
        "bind": f"{host}:{port}", "workers": workers, "threads": threads,
        "worker_class": "gthread", "timeout": 300, "graceful_timeout": 10,
        "accesslog": None, "proc_name": "kafo", "forwarded_allow_ips": "",
        # No kept-alive connections: one stays with the process that accepted it, and
        # under load one process got nine requests in ten (40 s of CPU against 4 s in
        # bench/load.py); a new connection per request goes to the process free to take
        # it. (A reverse proxy keeps the browsers' connections alive.)
        "keepalive": 0,
    }  # fmt: skip
    if settings.KAFO_BEHIND_PROXY:
        options["forwarded_allow_ips"] = settings.KAFO_TRUSTED_PROXY
    return options


def serve_with_gunicorn(application, options: dict) -> None:
    """Run gunicorn's arbiter in this process (it forks the web processes)."""
    from gunicorn.app.base import BaseApplication

    class KafoApplication(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    KafoApplication().run()


class Command(KafoCommand):
    help = gettext_lazy(
        "Serve Kafo with a production WSGI server (waitress for one process, gunicorn for "
        "several), and run a background worker beside it unless --no-worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
        parser.add_argument("--host", default=os.environ.get("KAFO_HOST", "127.0.0.1"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("KAFO_WEB_WORKERS") or 1),
            help=gettext_lazy("web processes (1: waitress; more: gunicorn, Linux and macOS)"),
        )  # fmt: skip
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("KAFO_WEB_THREADS") or 8),
            help=gettext_lazy("threads per web process"),
        )  # fmt: skip
        parser.add_argument(
            "--no-worker", action="store_true",
            help=gettext_lazy("do not run a background worker (run `kafo worker` apart)"),
        )  # fmt: skip

    def handle(self, *args, **options):
        port, workers, threads = options["port"], options["workers"], options["threads"]
        if not 0 < port < 65536:
            raise CommandError(_("the port must be between 1 and 65535, not %d") % port)
        if not 1 <= workers <= 64 or not 1 <= threads <= 256:
            raise CommandError(_("--workers is 1 to 64 processes and --threads 1 to 256."))
        from kafo.web.static_storage import collect_if_changed

        # Before the application starts: WhiteNoise lists the collected files once.
        if collect_if_changed():
            self.stdout.write(_("Static files collected (hashed names, Brotli and gzip)."))
        # Only when serving: building the application loads every app and URL.
        from kafo.wsgi import application

        self.stdout.write(
            _("Kafo is served on http://%(host)s:%(port)d/")
            % {"host": options["host"], "port": port}
        )
        logins = demo_logins()
        if logins:
            self.stdout.write(_("Demo logins (password %s):") % DEMO_PASSWORD)
            for username, organisation, role in logins:
                self.stdout.write(f"  {username:<14} {organisation} · {role}")
        children = None
        if not options["no_worker"]:
            from kafo.tasks.processes import Children

            children = Children([["worker"]])
            children.start()
            self.stdout.write(_("A background worker runs beside it."))
            watcher = threading.Thread(target=_watch, args=(children,), daemon=True,
                                       name="kafo-worker-watch")  # fmt: skip
            watcher.start()
        self.stdout.write(_("Stop with Ctrl+C."))
        from django.db import connections

        connections.close_all()  # a forked web process must not share this one's sockets
        try:
            if workers == 1:
                from waitress import serve

                # SIGTERM (a service manager's stop) ends waitress as Ctrl+C does, so that
                # the worker beside it is stopped too.
                signal.signal(signal.SIGTERM, _interrupt)

                serve(application, host=options["host"], port=port,
                      **waitress_options(threads))  # fmt: skip
            else:
                serve_with_gunicorn(
                    application, gunicorn_options(options["host"], port, workers, threads)
                )
        except OSError as error:
            raise CommandError(
                _("cannot listen on port %(port)d: %(error)s") % {"port": port, "error": error}
            ) from error
        finally:
            if children is not None:
                children.stop()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _watch(children) -> None:
    """Start the worker again if it ends on its own (a crash, an out-of-memory kill)."""
    import time

    while not children.stopping:
        children.watch_once()
        time.sleep(1)
