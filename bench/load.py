"""A load test: N logged-in virtual users of every role read and write for a bounded time
against Kafo on loopback; p50, p95 and p99 per page, throughput and errors. Two set-ups
side by side in one run: SQLite with one process (`kafo serve`: waitress and its worker),
and PostgreSQL with 2 app processes and 2 workers (`kafo serve --workers 2 --no-worker`
and `kafo worker --concurrency 2`). With --restart, PostgreSQL is restarted
(`pg_ctl restart -m fast`) half-way, and the failed requests are counted.

Each set-up gets a fresh database with the demo. A bounded asyncio client (httpx): each
virtual user waits for its answer, thinks 0.5–1.5 s, and asks again. The users start
--warmup seconds before the measured --seconds: the first requests of fresh processes
(templates, translations and the analysis engine loaded, answers not yet kept) are
reported on a line of their own, not in the table; errors are counted over the whole run.
Each set-up also reports the CPU time each of its processes used.

Run: `.venv/bin/python bench/load.py --users 50 --seconds 60 [--warmup 10]
[--postgres postgres://kafo@127.0.0.1:54329/postgres] [--restart "pg_ctl -D DIR restart -m fast"]`
(PostgreSQL set-up only with --postgres: a database `kafo_load` is created there).
"""

import argparse
import asyncio
import json
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

import httpx

KAFO = [sys.executable, "-m", "kafo"]
# One account per virtual user, with the role and organisation of a demo user (the
# per-person limits of heavy work count per account, as for real people); the session of
# each, made here, with its second factor passed where the role needs one.
SESSIONS = """
import json, os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kafo.settings")
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from kafo.actors.models import Membership
User = get_user_model()
cookies = {}
for number, base in enumerate(json.loads(sys.argv[1])):
    model = User.objects.get(username=base)
    user, _ = User.objects.get_or_create(username=f"{base}.{number}",
                                         defaults={"email": f"load{number}@example.org"})
    Membership.objects.update_or_create(user=user, defaults={
        "organisation": model.membership.organisation, "role": model.membership.role})
    client = Client()
    client.force_login(user)
    if TOTPDevice.objects.filter(user=model).exists():
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="load",
                                                     defaults={"confirmed": True})
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    cookies[str(number)] = client.cookies["sessionid"].value
print(json.dumps(cookies))
"""

# What each role does, with weights: pages read, and (the editor) a small 5W upload,
# which is a write and a background task.
PLAIN = [
    "/",
    "/situation/",
    "/response/",
    "/response/activities/",
    "/mineaction/hazard/",
    "/funding/",
    "/commitments/",
    "/organisations/",
    "/response/resources/",
]
ANALYSES = [
    "/analysis/gaps/",
    "/analysis/equity/",
    "/analysis/duplicates/",
    "/analysis/priorities/",
]
MIX = {
    "coordination": [(page, 3) for page in PLAIN] + [(page, 2) for page in ANALYSES],
    "editeur.hi": [(page, 3) for page in PLAIN]
    + [(page, 1) for page in ANALYSES]
    + [("upload", 1)],
    "lecteur.drc": [(page, 3) for page in PLAIN] + [(page, 1) for page in ANALYSES],
    "bailleur.echo": [
        ("/", 3),
        ("/situation/", 3),
        ("/funding/", 3),
        ("/analysis/gaps/", 1),
        ("/analysis/equity/", 1),
    ],
}
UPLOAD = (
    b"#org+impl,#sector,#meta+id,#adm2+code,#date+start\n"
    b"HI,PRO,LOAD-{n}-1,ML0501,2026-01-01\nHI,PRO,LOAD-{n}-2,ML0504,2026-02-01\n"
)


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/accounts/login/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def roles(users: int) -> list[str]:
    """The demo user whose role each virtual user has, in turn."""
    names = list(MIX)
    return [names[n % len(names)] for n in range(users)]


def sessions(env: dict, users: int) -> dict[str, str]:
    """A logged-in session per virtual user (see SESSIONS), by its number."""
    out = subprocess.run(
        [sys.executable, "-c", SESSIONS, json.dumps(roles(users))],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


class Setup:
    """A database with the demo, and the processes serving it."""

    def __init__(self, name: str, env: dict, commands: list[list[str]]):
        self.name, self.env, self.commands = name, env, commands
        self.processes: list[subprocess.Popen] = []
        self.port = free_port()

    def start(self) -> str:
        run = dict(env=self.env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*KAFO, "migrate", "--no-input"], **run)
        subprocess.run([*KAFO, "demo", "--if-empty"], **run)
        for command in self.commands:
            command = [part.replace("{port}", str(self.port)) for part in command]
            self.processes.append(
                subprocess.Popen(
                    [*KAFO, *command],
                    env=self.env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
        url = f"http://127.0.0.1:{self.port}"
        wait_until_up(url)
        return url

    def sessions(self, users: int) -> dict[str, str]:
        return sessions(self.env, users)

    def batches(self, wait: float = 120) -> dict[str, int]:
        """The import batches by status, once none is running (or after `wait` s)."""
        code = ("import json; from django.db.models import Count; "
                "from kafo.interop.models import ImportBatch; print(json.dumps(dict("
                "ImportBatch.objects.values_list('status').annotate(Count('id')))))")  # fmt: skip
        deadline = time.monotonic() + wait
        while True:
            out = subprocess.run([*KAFO, "shell", "-c", code], env=self.env, check=True,
                                 capture_output=True, text=True).stdout  # fmt: skip
            counts = json.loads(out.strip().splitlines()[-1])
            if not counts.get("running") or time.monotonic() > deadline:
                return counts
            time.sleep(2)

    def cpu_seconds(self) -> dict[str, list[float]]:
        """CPU time used so far by each process of each command (its process group),
        the command's first process (the supervisor) first."""
        out = subprocess.run(["ps", "-eo", "pgid=,pid=,time="], capture_output=True,
                             text=True).stdout  # fmt: skip
        used: dict[str, list[float]] = {}
        for process, command in zip(self.processes, self.commands, strict=True):
            rows = sorted(
                (int(pid), _seconds(clock))
                for pgid, pid, clock in (line.split() for line in out.splitlines())
                if int(pgid) == process.pid
            )
            used[command[0] + " " + str(len(used))] = [seconds for _pid, seconds in rows]
        return used

    def stop(self) -> None:
        for process in self.processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _seconds(clock: str) -> float:
    """ps's [DD-]HH:MM:SS as seconds."""
    days, _, rest = clock.rpartition("-")
    hours, minutes, seconds = (float(part) for part in rest.split(":"))
    return int(days or 0) * 86400 + hours * 3600 + minutes * 60 + seconds


async def virtual_user(
    url: str, username: str, cookie: str, counted_from: float, until: float, times: dict,
    errors: dict, number: int,
) -> None:  # fmt: skip
    pages, weights = zip(*MIX[username], strict=True)
    async with httpx.AsyncClient(
        base_url=url, cookies={"sessionid": cookie}, timeout=60, follow_redirects=False
    ) as client:
        await asyncio.sleep(random.random())
        count = 0
        while time.monotonic() < until:
            page = random.choices(pages, weights)[0]
            started = time.monotonic()
            try:
                if page == "upload":
                    form = await client.get("/imports/new/")
                    token = client.cookies.get("csrftoken", "")
                    count += 1
                    content = UPLOAD.replace(b"{n}", f"{number}-{count}".encode())
                    response = await client.post(
                        "/imports/new/",
                        data={"kind": "activities", "csrfmiddlewaretoken": token},
                        files={"file": ("load.csv", content, "text/csv")},
                        headers={"Referer": url + "/imports/new/"},
                    )
                    ok = form.status_code == 200 and response.status_code == 302
                else:
                    response = await client.get(page)
                    ok = response.status_code == 200
            except httpx.HTTPError as error:
                ok, response = False, error
            took = time.monotonic() - started
            times[page if started >= counted_from else "warm-up"].append(took)
            if not ok:
                errors[page].append(getattr(response, "status_code", type(response).__name__))
            await asyncio.sleep(0.5 + random.random())


async def load(
    url: str, sessions: dict, users: int, seconds: float, warmup: float, restart: str | None
) -> dict:
    times: dict = defaultdict(list)
    errors: dict = defaultdict(list)
    counted_from = time.monotonic() + warmup
    until = counted_from + seconds
    jobs = [
        virtual_user(url, role, sessions[str(n)], counted_from, until, times, errors, n)
        for n, role in enumerate(roles(users))
    ]
    if restart:

        async def restart_half_way():
            await asyncio.sleep(warmup + seconds / 2)
            subprocess.run(restart, shell=True, check=True, stdout=subprocess.DEVNULL)

        jobs.append(restart_half_way())
    await asyncio.gather(*jobs)
    warm = times.pop("warm-up", [])
    # Requests started in the measured time (the last answers may come a little after).
    total = sum(len(t) for t in times.values())
    return {
        "throughput": total / seconds,
        "requests": total,
        "warm-up": quantiles(warm) if warm else None,
        "errors": {page: len(e) for page, e in errors.items()},
        "error_kinds": {page: sorted(set(map(str, e))) for page, e in errors.items()},
        "pages": {page: quantiles(t) for page, t in sorted(times.items())},
    }


def quantiles(times: list[float]) -> dict:
    cuts = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
    return {"n": len(times), "p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def report(results: dict[str, dict]) -> None:
    names = list(results)
    print(f"\n{'page':<28}" + "".join(f"{n:>34}" for n in names))
    print(f"{'':<28}" + "".join(f"{'p50 / p95 / p99 (s)   n':>34}" for _ in names))
    pages = sorted({p for r in results.values() for p in r["pages"]})
    for page in pages:
        cells = []
        for name in names:
            q = results[name]["pages"].get(page)
            cells.append(
                f"{q['p50']:.2f} / {q['p95']:.2f} / {q['p99']:.2f} {q['n']:>5}" if q else "-"
            )
        print(f"{page:<28}" + "".join(f"{c:>34}" for c in cells))
    for key in ("throughput", "requests"):
        print(f"{key:<28}" + "".join(f"{results[n][key]:>34.1f}" for n in names))
    print(f"{'errors':<28}" + "".join(f"{sum(results[n]['errors'].values()):>34}" for n in names))
    if len(names) == 2:
        a, b = (results[n]["throughput"] for n in names)
        print(f"throughput ratio {names[1]} / {names[0]}: {b / a:.2f}")
    for name in names:
        if "batches" in results[name]:
            print(f"{name}: import batches by status after the load: {results[name]['batches']}")
        if warm := results[name].get("warm-up"):
            print(f"{name}: warm-up (not in the table), {warm['n']} requests: p50 / p95 / p99 "
                  f"{warm['p50']:.2f} / {warm['p95']:.2f} / {warm['p99']:.2f} s")  # fmt: skip
        if cpu := results[name].get("cpu"):
            print(f"{name}: CPU seconds per process: "
                  + "; ".join(f"{command}: {', '.join(f'{s:.0f}' for s in used)}"
                              for command, used in cpu.items()))  # fmt: skip
        if results[name]["errors"]:
            print(name, "errors:", json.dumps(results[name]["error_kinds"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=10,
                        help="seconds of load before the measured ones")  # fmt: skip
    parser.add_argument("--postgres", help="a PostgreSQL URL whose server may create kafo_load")
    parser.add_argument(
        "--restart",
        metavar="COMMAND",
        help='restart PostgreSQL half-way, e.g. "pg_ctl -D DIR restart -m fast"',
    )
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    options = parser.parse_args()
    base = {**os.environ, "KAFO_REQUEST_LOG": "0", "KAFO_DEBUG": "0"}
    setups = []
    if options.only != "postgresql":
        folder = tempfile.mkdtemp(prefix="kafo-load-")
        setups.append(
            Setup(
                "SQLite, 1 process",
                {**base, "KAFO_DATA_DIR": folder, "KAFO_DATABASE_URL": ""},
                [["serve", "--port", "{port}"]],
            )
        )
    if options.postgres and options.only != "sqlite":
        admin = options.postgres
        subprocess.run(["psql", admin, "-qc", "DROP DATABASE IF EXISTS kafo_load"], check=True)
        subprocess.run(["psql", admin, "-qc", "CREATE DATABASE kafo_load"], check=True)
        url = admin.rsplit("/", 1)[0] + "/kafo_load"
        folder = tempfile.mkdtemp(prefix="kafo-load-pg-")
        setups.append(
            Setup(
                "PostgreSQL, 2 app + 2 workers",
                {**base, "KAFO_DATA_DIR": folder, "KAFO_DATABASE_URL": url},
                [
                    [
                        "serve",
                        "--port",
                        "{port}",
                        "--workers",
                        "2",
                        "--threads",
                        "8",
                        "--no-worker",
                    ],
                    ["worker", "--concurrency", "2"],
                ],
            )
        )
    results = {}
    for setup in setups:
        url = setup.start()
        try:
            restart = options.restart if "PostgreSQL" in setup.name else None
            results[setup.name] = asyncio.run(
                load(
                    url,
                    setup.sessions(options.users),
                    options.users,
                    options.seconds,
                    options.warmup,
                    restart,
                )
            )
            results[setup.name]["cpu"] = setup.cpu_seconds()
            # Every upload is a task: the workers must have imported them all.
            results[setup.name]["batches"] = setup.batches()
        finally:
            setup.stop()
    print(
        f"\n{options.users} users, {options.seconds:.0f} s after {options.warmup:.0f} s of "
        f"warm-up, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )
    report(results)


if __name__ == "__main__":
    main()
