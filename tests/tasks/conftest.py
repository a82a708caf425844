import pytest

DATABASE_TASKS = {"default": {
    "BACKEND": "django_tasks_db.DatabaseBackend",
    "QUEUES": ["default", "imports", "plans", "messages", "periodic", "exports"],
}}  # fmt: skip


@pytest.fixture
def queued(settings):
    """Tasks kept in the database, as in production, for a worker to run."""
    settings.TASKS = DATABASE_TASKS
    settings.KAFO_WORKER_LEASE = 60


@pytest.fixture
def worker(queued, monkeypatch):
    """A worker in this process that runs the tasks waiting now, then returns."""
    from kafo.tasks.worker import KafoWorker

    # Between tasks a worker drops a connection left in a transaction: here, the test's.
    monkeypatch.setattr("kafo.tasks.worker.close_old_connections", lambda: None)

    def run(**options) -> KafoWorker:
        made = KafoWorker(
            queue_names=["*"], interval=0, batch=True, backend_name="default",
            startup_delay=False, max_tasks=None, worker_id="test-worker",
            excluded_queue_names=[], schedule=options.get("schedule", False),
        )  # fmt: skip
        made.run()
        return made

    return run
