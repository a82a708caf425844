"""The deployment that grows, for real: two `kafo serve` processes and two `kafo worker`
processes on one PostgreSQL. A 200,000-row import is sent through one server and watched
through the other; the worker importing it is killed with SIGKILL while it writes. The
batch wrote nothing then; the other worker takes it back after the lease and completes
it; every row is there exactly once."""

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from kafo.actors.models import Role
from kafo.interop.models import ImportBatch
from kafo.response.models import Activity
from kafo.tasks.models import WorkerBeat

ROWS = 200_000
PCODES = ["ML0501", "ML0502", "ML0503", "ML0504", "ML0601", "ML0602"]

pytestmark = pytest.mark.skipif(
    "postgres" not in settings.DATABASES["default"]["ENGINE"],
    reason="several processes share one database server: PostgreSQL only (CI runs it)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(condition, seconds: float, what: str, every: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"waited {seconds} s for {what}")


@pytest.fixture
def processes(transactional_db, tmp_path):
    """Start commands of `kafo` against the test database; all stopped at the end."""
    database = connection.settings_dict
    env = {
        **os.environ,
        "KAFO_DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:"
                             f"{database['PORT']}/{database['NAME']}",
        "KAFO_SECRET_KEY": settings.SECRET_KEY, "KAFO_DATA_DIR": str(tmp_path),
        "KAFO_UPLOAD_DIR": str(tmp_path / "uploads"), "KAFO_WORKER_LEASE": "3",
        "KAFO_REQUEST_LOG": "0", "KAFO_TASKS_IMMEDIATE": "0",
    }  # fmt: skip
    started: list[subprocess.Popen] = []

    def start(*args: str) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-m", "kafo", *args], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   start_new_session=True)  # fmt: skip
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in started:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _csv(path) -> None:
    lines = ["Organisation,Sector,Id,Cercle,Start", "#org+impl,#sector,#meta+id,#adm2+code,"
             "#date+start"]  # fmt: skip
    lines += [f"Organisation HI,PRO,ROW-{n:06d},{PCODES[n % len(PCODES)]},2026-01-01"
              for n in range(ROWS)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n")


def test_two_servers_two_workers_a_worker_killed_mid_import(
    processes, demo_geography, user_with_role, organisation, tmp_path
):
    editor = user_with_role(Role.PARTNER_EDITOR, organisation("HI"))
    login = Client()
    login.force_login(editor)
    cookie = login.cookies["sessionid"].value
    ports = [_free_port(), _free_port()]
    processes("serve", "--no-worker", "--port", str(ports[0]))
    processes("serve", "--no-worker", "--port", str(ports[1]), "--workers", "2",
              "--threads", "2")  # fmt: skip
    workers = [processes("worker"), processes("worker")]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    for url in urls:
        _wait(lambda url=url: _answers(url), 60, f"{url} to answer", every=0.3)
    _wait(lambda: WorkerBeat.objects.count() == 2, 60, "two workers to beat")

    upload = tmp_path / "big.csv"
    _csv(upload)
    with httpx.Client(base_url=urls[0], cookies={"sessionid": cookie}, timeout=120) as first:
        first.get("/imports/new/")
        response = first.post(
            "/imports/new/",
            data={"kind": "activities", "csrfmiddlewaretoken": first.cookies["csrftoken"]},
            files={"file": ("big.csv", upload.read_bytes(), "text/csv")},
            headers={"Referer": urls[0] + "/imports/new/"},
        )
    assert response.status_code == 302, response.text[:500]
    batch = ImportBatch.objects.get()

    # Watched through the other server, while the first worker checks the rows.
    with httpx.Client(base_url=urls[1], cookies={"sessionid": cookie}, timeout=30) as second:
        progress = f"/imports/{batch.pk}/progress/"
        _wait(lambda: "lignes vérifiées" in second.get(progress).text, 120,
              "the other server to show the rows checked", every=0.2)  # fmt: skip

    # Killed while it writes: every row checked, the batch not over.
    def writing():
        batch.refresh_from_db()
        assert batch.status == "running", "the import ended before it could be killed"
        return batch.rows_total and batch.rows_done == batch.rows_total

    _wait(writing, 180, "the import to reach its writing", every=0.02)
    task = DBTaskResult.objects.get(pk=batch.task_id)
    running = WorkerBeat.objects.get(worker_id=task.worker_ids[-1])
    killed = next(w for w in workers if w.pid == running.pid)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait(10)
    time.sleep(0.5)
    assert Activity.objects.count() == 0  # its transaction died with it: nothing written
    batch.refresh_from_db()
    assert batch.status == "running"
    assert any((tmp_path / "uploads").glob(f"batch-{batch.pk}.*"))  # kept: not over

    # The other worker takes it back after the lease and imports the whole file.
    _wait(lambda: ImportBatch.objects.get().status != "running", 240,
          "the other worker to complete the import", every=0.5)  # fmt: skip
    batch.refresh_from_db()
    assert batch.status == "imported", batch.file_error
    # The task is marked done just after the batch's commit.
    _wait(lambda: DBTaskResult.objects.get(pk=task.pk).status != "RUNNING", 30,
          "the task to be marked done", every=0.2)  # fmt: skip
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and len(task.worker_ids) == 2
    assert task.worker_ids[-1] != running.worker_id
    assert Activity.objects.count() == ROWS
    assert Activity.objects.values("source_id").distinct().count() == ROWS
    assert not any((tmp_path / "uploads").glob(f"batch-{batch.pk}.*"))


def _answers(url: str) -> bool:
    try:
        return httpx.get(url + "/health/", timeout=2).status_code in (200, 503)
    except httpx.HTTPError:
        return False
