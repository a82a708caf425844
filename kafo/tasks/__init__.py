"""Background work: every long or periodic job of Kafo is a task of Django's Tasks
framework (the `django-tasks` backport on Django 5.2), stored in Kafo's own database by
`django-tasks-db` and run by `kafo worker` processes, on this machine or others.

What Kafo adds to that engine (see docs/tasks.md): the workers' heartbeat and the lease
after which a running task of a silent worker is taken back (`kafo.tasks.worker`),
explicit retries per task (`kafo.tasks.jobs`), and periodic jobs enqueued once whatever
the number of workers (`kafo.tasks.schedule`)."""
