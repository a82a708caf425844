"""Pages, API lists, map layers and exports at scale, one request at a time: per page the
time of a warm request, the time of the first request after a change of the data, the
bytes sent and the peak RSS of the process that answered (an export, which reads the
database each time, is asked once).

Each size gets a database of its own, filled here: the demo (`kafo demo`), then N more
activities through the bulk path (`bulk_create` in one transaction, as the 5W importer
writes), each with one to three units of the deepest level, dates, people and, for one
in four, points.
Each page is asked in a child process forked for it (Django's test client, the whole
middleware), so its peak RSS is its own.

With `--baseline REV`, the same is measured side by side with the code of a git revision
(a worktree under the temporary folder, its own database filled the same way) and the
ratios printed.

Run: `.venv/bin/python bench/pages.py --sizes 0 100000 [--postgres URL] [--baseline REV]
[--only PATTERN[,PATTERN…]]` (URL: a server where a database `kafo_pages_N` may be created).
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What is asked, by the national coordinator (who sees everything).
PAGES = {
    "plain": [
        "/",
        "/situation/",
        "/response/",
        "/response/activities/",
        "/response/activities/?page=999999",
        "/response/needs/",
        "/mineaction/hazard/",
        "/funding/",
        "/commitments/",
        "/organisations/",
        "/response/resources/",
        "/response/plans/",
    ],
    "analysis": [
        "/analysis/gaps/",
        "/analysis/gaps/?level=3",
        "/analysis/equity/",
        "/analysis/duplicates/",
        "/analysis/alignment/",
        "/analysis/priorities/",
    ],
    "map": [
        "/response/activities.geojson",
        "/response/activities.geojson?zoom=10&bbox=-8.1,12.5,-7.9,12.7",
        "/analysis/gaps.geojson",
        "/mineaction/layers/hazard.geojson",
        "/response/resources.geojson",
    ],
    "api": [
        "/api/v1/activities/",
        "/api/v1/activities/?offset={deep}",
        "/api/v1/activities/?after={deep_id}",
        "/api/v1/analysis/gaps/",
    ],
    "export": [
        "/response/activities/export/",
        "/response/activities/export/?format=hxl",
        "/response/activities/export/?format=xlsx",
        "/response/needs/export/",
        "/response/activities.geojson?download=gpkg",
    ],
}

SETUP = """
import os, sys, json, time, datetime
sys.path.insert(0, sys.argv[1])
os.environ["DJANGO_SETTINGS_MODULE"] = "kafo.settings"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("demo", "--if-empty", verbosity=0)
import numpy as np
from django.db import transaction
from kafo.actors.models import Organisation
from kafo.geo.models import AdminUnit
from kafo.response.models import Activity
count = int(sys.argv[2])
rng = np.random.default_rng(23)
organisations = list(Organisation.objects.values_list("pk", flat=True))
deepest = AdminUnit.objects.active().order_by("-level").values_list("level", flat=True)[0]
communes = list(AdminUnit.objects.active().filter(level=deepest)
                .values_list("pk", "label_lon", "label_lat"))
WORK = [("PRO-MIN", "EORE"), ("PRO-MIN", "VA"), ("PRO-MIN", "NTS"), ("PRO-MIN", "CLR"),
        ("PRO-MIN", "EOD"), ("HEA", ""), ("EDU", ""), ("FSC", ""), ("CCM", "")]
through = Activity.locations.through
started = time.monotonic()
with transaction.atomic():
    for first in range(0, count, 20000):
        size = min(20000, count - first)
        work = rng.integers(0, len(WORK), size)
        orgs = rng.integers(0, len(organisations), size)
        days = rng.integers(0, 7 * 365, size)
        lengths = rng.integers(30, 720, size)
        people = rng.integers(0, 400, (size, 4))
        places = rng.integers(0, len(communes), (size, 3))
        how_many = rng.integers(1, 4, size)
        rows = []
        for n in range(size):
            start = datetime.date(2020, 1, 1) + datetime.timedelta(days=int(days[n]))
            sector, kind = WORK[work[n]]
            _pk, lon, lat = communes[places[n, 0]]
            points = ([[round(lon + 0.01 * (n % 7), 5), round(lat + 0.01 * (n % 5), 5)]]
                      if n % 4 == 0 and lon is not None else [])
            rows.append(Activity(
                organisation_id=organisations[orgs[n]], title=f"Activité {first + n:07d}",
                sector=sector, activity_type=kind, status="ongoing", planned_start=start,
                planned_end=start + datetime.timedelta(days=int(lengths[n])),
                source_id=f"BENCH-{first + n}", points=points, budget=1000 + n,
                reached_girls=int(people[n, 0]), reached_boys=int(people[n, 1]),
                reached_women=int(people[n, 2]), reached_men=int(people[n, 3])))
        made = Activity.objects.bulk_create(rows, batch_size=2000)
        links = {(a.pk, communes[places[n, k]][0]) for n, a in enumerate(made)
                 for k in range(int(how_many[n]))}
        through.objects.bulk_create([through(activity_id=a, adminunit_id=u) for a, u in links],
                                    batch_size=5000)
print(json.dumps({"seconds": time.monotonic() - started,
                  "activities": Activity.objects.count()}))
"""

MEASURE = """
import os, sys, json, time, resource, gc
sys.path.insert(0, sys.argv[1])
os.environ["DJANGO_SETTINGS_MODULE"] = "kafo.settings"
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
settings.ALLOWED_HOSTS = ["*"]
user = get_user_model().objects.get(username="coordination")
device = TOTPDevice.objects.filter(user=user).first()

def client():
    c = Client()
    c.force_login(user)
    if device is not None:
        session = c.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return c

def ask(c, url):
    started = time.monotonic()
    response = c.get(url)
    size = 0
    if response.streaming:
        for chunk in response.streaming_content:
            size += len(chunk)
    else:
        size = len(response.content)
    return response.status_code, time.monotonic() - started, size

def change():
    from kafo.response.models import Activity
    activity = Activity.objects.order_by("pk").first()
    Activity.objects.filter(pk=activity.pk).update(title=activity.title)

def child(url, out):
    c = client()
    status, first, size = ask(c, url)          # warms the cache (or computes)
    times, after_change = [first], None
    if "/export/" not in url and "download=" not in url:  # an export: asked once
        times = []
        for _ in range(3):
            status, seconds, size = ask(c, url)
            times.append(seconds)
        change()
        _status, after_change, _size = ask(c, url)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    os.write(out, json.dumps({"status": status, "warm": min(times), "first": first,
                              "after_change": after_change, "bytes": size,
                              "peak_mb": peak}).encode())

# The deep pages: the last 100 activities, by offset or after an id.
from kafo.response.models import Activity
deep = max(Activity.objects.count() - 100, 0)
deep_id = Activity.objects.order_by("pk").values_list("pk", flat=True)[deep]
results = {}
for page in json.loads(sys.argv[2]):
    url = page.format(deep=deep, deep_id=deep_id)
    for alias in connections:
        connections[alias].close()
    gc.collect()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            child(url, write)
        finally:
            os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 65536):
        data += chunk
    os.close(read)
    os.waitpid(pid, 0)
    results[page] = json.loads(data) if data else {"status": "crashed"}
    print(url, results[page], file=sys.stderr, flush=True)
print(json.dumps(results))
"""


def environment(data_dir: str, database_url: str | None) -> dict:
    env = dict(os.environ, KAFO_DATA_DIR=data_dir, KAFO_TASKS_IMMEDIATE="1",
               KAFO_REQUEST_LOG="", KAFO_HEAVY_PER_MINUTE="100000",
               DJANGO_SETTINGS_MODULE="kafo.settings")  # fmt: skip
    env.pop("KAFO_DATABASE_URL", None)
    if database_url:
        env["KAFO_DATABASE_URL"] = database_url
    return env


def run(tree: Path, env: dict, script: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", script, str(tree), *args], env=env,
                          check=True, stdout=subprocess.PIPE, text=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def postgres_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return server.rsplit("/", 1)[0] + "/" + name


def measure(tree: Path, label: str, size: int, server: str | None, pages: list[str],
            folder: str) -> dict:  # fmt: skip
    data_dir = tempfile.mkdtemp(prefix=f"pages-{label}-{size}-", dir=folder)
    database = postgres_database(server, f"kafo_pages_{label}_{size}") if server else None
    env = environment(data_dir, database)
    filled = run(tree, env, SETUP, str(size))
    print(f"  {label}: filled {filled['activities']:,} activities in "
          f"{filled['seconds']:.0f} s", flush=True)  # fmt: skip
    return run(tree, env, MEASURE, json.dumps(pages))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 100_000])
    parser.add_argument("--postgres", help="a PostgreSQL server URL (else SQLite)")
    parser.add_argument("--baseline", help="a git revision measured side by side")
    parser.add_argument(
        "--only", help="only the pages whose URL contains one of these (comma-separated)"
    )
    args = parser.parse_args()
    pages = [page for group in PAGES.values() for page in group
             if not args.only or any(page == part[:-1] if part.endswith("$") else part in page
                                     for part in args.only.split(","))]  # fmt: skip
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, "
          f"{'PostgreSQL' if args.postgres else 'SQLite'}")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        trees = {"now": ROOT}
        if args.baseline:
            baseline = Path(folder) / "baseline"
            add = ["worktree", "add", "--detach", str(baseline), args.baseline]
            subprocess.run(["git", "-C", str(ROOT), *add], check=True, capture_output=True)
            trees["before"] = baseline
        try:
            for size in args.sizes:
                print(f"\n{size:,} activities beyond the demo", flush=True)
                results = {label: measure(tree, label, size, args.postgres, pages, folder)
                           for label, tree in trees.items()}  # fmt: skip
                report(results, pages)
        finally:
            if args.baseline:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                                str(trees["before"])], check=False)  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"\nbench process peak RSS {peak} MB")


def report(results: dict, pages: list[str]) -> None:
    now = results["now"]
    before = results.get("before")
    header = f"{'page':<58} {'status':>6} {'warm s':>7} {'change s':>8} {'bytes':>10} {'RSS MB':>7}"
    if before:
        header += f" {'warm ×':>7} {'RSS ×':>6}"
    print(header)
    for page in pages:
        row = now[page]
        if row.get("status") == "crashed":
            print(f"{page:<58} crashed")
            continue
        change = "-" if row["after_change"] is None else f"{row['after_change']:.3f}"
        line = (f"{page:<58} {row['status']:>6} {row['warm']:>7.3f} {change:>8} "
                f"{row['bytes']:>10,} {row['peak_mb']:>7.0f}")  # fmt: skip
        if before and before.get(page, {}).get("status") not in (None, "crashed"):
            old = before[page]
            line += (f" {old['warm'] / max(row['warm'], 1e-6):>6.1f}×"
                     f" {old['peak_mb'] / max(row['peak_mb'], 1e-6):>5.1f}×")  # fmt: skip
        print(line)


if __name__ == "__main__":
    main()
