import contextlib
import os

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand


class Command(KafoCommand):
    help = gettext_lazy(
        "Run background tasks (imports, joint plans, campaigns, periodic jobs) from the "
        "database's queue; several workers, here or on other machines, share it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queues", default="*",
            help=gettext_lazy("queues to take tasks from, separated by commas (default: all)"),
        )  # fmt: skip
        parser.add_argument("--concurrency", type=int, default=1,
                            help=gettext_lazy("worker processes to run (default 1)"))  # fmt: skip
        parser.add_argument(
            "--interval", type=float, default=1.0,
            help=gettext_lazy("seconds between looks at an empty queue"),
        )  # fmt: skip
        parser.add_argument("--batch", action="store_true",
                            help=gettext_lazy("run the tasks waiting now, then stop"))  # fmt: skip
        parser.add_argument("--no-schedule", action="store_true",
                            help=gettext_lazy("do not enqueue the periodic jobs"))  # fmt: skip
        parser.add_argument(
            "--nice", type=int, default=10,
            help=gettext_lazy("lower the workers' CPU priority by this much, so that pages "
                              "answer first (default 10; 0 leaves it)"),
        )  # fmt: skip

    def handle(self, *args, queues, concurrency, interval, batch, no_schedule, nice, **options):
        if not 1 <= concurrency <= 64:
            raise CommandError(_("--concurrency is a number of processes from 1 to 64."))
        if not 0 <= nice <= 19:
            raise CommandError(_("--nice is a number from 0 to 19."))
        if interval <= 0:
            raise CommandError(_("--interval is a number of seconds above 0."))
        names = [name.strip() for name in queues.split(",") if name.strip()]
        if not names:
            raise CommandError(_("--queues names at least one queue."))
        if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
            raise CommandError(_("Tasks are not kept in the database (TASKS setting): "
                                 "there is nothing for a worker to run."))  # fmt: skip
        if nice and hasattr(os, "nice"):  # (not on Windows)
            # A background task under load waits a little; a person before a page does not.
            os.nice(nice)
        if concurrency > 1:
            from kafo.tasks.processes import Children

            # The children inherit the priority.
            one = ["worker", "--queues", queues, "--interval", str(interval), "--nice", "0"]
            if no_schedule:
                one.append("--no-schedule")
            children = Children([one] * concurrency)
            children.start()
            self.stdout.write(_("%(count)d worker processes started.") % {"count": concurrency})
            children.wait_forever()
            return
        from kafo.tasks.worker import KafoWorker, new_worker_id

        worker = KafoWorker(
            queue_names=names, interval=interval, batch=batch, backend_name="default",
            startup_delay=False, max_tasks=None, worker_id=new_worker_id(),
            excluded_queue_names=[], schedule=not no_schedule,
        )  # fmt: skip
        worker.configure_signals()
        with contextlib.suppress(SystemExit):
            worker.run()
