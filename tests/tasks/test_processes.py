"""`kafo serve` runs a worker beside the web server and stops both on Ctrl+C; a worker
that dies is started again; `kafo worker` refuses bad arguments in one line."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kafo.tasks.processes import Children


def _kafo(*args, env, **kwargs):
    return subprocess.run([sys.executable, "-m", "kafo", *args], env=env, capture_output=True,
                          text=True, **kwargs)  # fmt: skip


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A migrated SQLite database of its own, for processes started here."""
    folder = tmp_path_factory.mktemp("serve")
    env = {**os.environ, "KAFO_DATA_DIR": str(folder), "KAFO_DATABASE_URL": "",
           "KAFO_WORKER_LEASE": "3"}  # fmt: skip
    assert _kafo("migrate", "--no-input", env=env).returncode == 0
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children_of(pid: int) -> list[int]:
    """The live child processes of `pid` (started by any of its threads)."""
    found = []
    for tasks in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in tasks.read_text().split():
            status = Path(f"/proc/{child}/stat")
            if status.exists() and status.read_text().rpartition(")")[2].split()[0] != "Z":
                found.append(int(child))
    return found


def _alive(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def _niceness(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[16])


def _health(url: str) -> dict | None:
    try:
        return httpx.get(url + "/health/", timeout=2).json()
    except (httpx.HTTPError, ValueError):
        return None


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="reads Linux's /proc")
def test_serve_runs_a_worker_and_ctrl_c_stops_both(data_dir):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "kafo", "serve", "--port", str(port)],
                              env=data_dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            answer = _health(url)
            if answer and answer.get("workers") == 1:
                break
            time.sleep(0.3)
        assert answer == {"status": "ok", "database": "ok", "workers": 1}
        (worker,) = _children_of(server.pid)
        os.kill(worker, signal.SIGKILL)  # the worker dies: started again
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and _children_of(server.pid) in ([], [worker]):
            time.sleep(0.2)
        (again,) = _children_of(server.pid)
        assert again != worker
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()  # its worker gets SIGTERM with it (Linux's parent-death signal)
    assert "Un worker de fond tourne à côté." in output
    # Stopped with it: gone, or a zombie left for init to reap.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(again):
        time.sleep(0.1)
    assert not _alive(again), output


def test_a_service_manager_s_sigterm_stops_both(data_dir):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "kafo", "serve", "--port", str(port)],
                              env=data_dir, stdout=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _children_of(server.pid):
        time.sleep(0.2)
    (worker,) = _children_of(server.pid)
    server.terminate()
    assert server.wait(30) is not None
    time.sleep(0.5)
    assert not Path(f"/proc/{worker}").exists() or "Z" in Path(f"/proc/{worker}/stat").read_text()


def test_serve_without_a_worker_runs_none(data_dir):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "kafo", "serve", "--no-worker", "--port",
                               str(port)], env=data_dir, stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _health(f"http://127.0.0.1:{port}") is None:
            time.sleep(0.3)
        answer = _health(f"http://127.0.0.1:{port}")
        assert answer == {"status": "failing", "database": "ok", "workers": 0}
        assert _children_of(server.pid) == []
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)


def test_a_child_that_ends_is_started_again_and_stop_ends_them():
    children = Children([["help"]], restart_after=0)
    children.start()
    first = children.processes[0]
    first.wait(30)
    children.watch_once()
    assert children.processes[0] is not first
    children.stop()
    assert children.processes[0].poll() is not None


@pytest.mark.parametrize(("args", "message"), [
    (["--concurrency", "0"], "--concurrency est un nombre de processus de 1 à 64."),
    (["--interval", "0"], "--interval est un nombre de secondes supérieur à 0."),
    (["--queues", ","], "--queues nomme au moins une file."),
    (["--nice", "20"], "--nice est un nombre de 0 à 19."),
])  # fmt: skip
def test_worker_refuses_bad_arguments_in_one_line(data_dir, args, message):
    result = _kafo("worker", *args, env=data_dir, timeout=60)
    assert result.returncode != 0 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_worker_refuses_to_run_without_a_database_queue(data_dir):
    result = _kafo("worker", env={**data_dir, "KAFO_TASKS_IMMEDIATE": "1"}, timeout=60)
    assert result.returncode != 0 and "réglage TASKS" in result.stderr


def test_serve_refuses_bad_process_counts(data_dir):
    result = _kafo("serve", "--workers", "0", env=data_dir, timeout=60)
    assert result.returncode != 0 and "--workers va de 1 à 64" in result.stderr


def test_worker_concurrency_runs_that_many_processes_and_stops_them(data_dir):
    parent = subprocess.Popen([sys.executable, "-m", "kafo", "worker", "--concurrency", "2"],
                              env=data_dir, stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(_children_of(parent.pid)) < 2:
            time.sleep(0.2)
        children = _children_of(parent.pid)
        assert len(children) == 2
        # Below the pages in CPU priority: 10 lower than who started them, not 20.
        assert {_niceness(child) for child in children} == {os.nice(0) + 10}
        deadline = time.monotonic() + 60
        beats = 0
        while time.monotonic() < deadline and beats < 2:
            beats = _kafo(
                "shell",
                "-c",
                "from kafo.tasks.worker import alive_workers; print(alive_workers().count())",
                env=data_dir,
            ).stdout.strip()
            beats = int(beats.splitlines()[-1] if beats else 0)
        assert beats == 2
    finally:
        parent.send_signal(signal.SIGTERM)
        parent.wait(30)
    time.sleep(0.5)
    assert not any(Path(f"/proc/{child}").exists() for child in children)


def test_several_web_processes_take_a_new_connection_per_request(data_dir):
    # A kept-alive connection would stay with the process that accepted it: under load
    # one process got nine requests in ten. Each answer closes its connection instead.
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "kafo", "serve", "--no-worker", "--workers",
                               "2", "--port", str(port)], env=data_dir,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _health(f"http://127.0.0.1:{port}") is None:
            time.sleep(0.3)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            answers = [client.get("/accounts/login/") for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert all(a.headers["connection"] == "close" for a in answers)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)
