"""Which WSGI server `kafo serve` uses: waitress (1 process, threads), gunicorn (processes
of threads, `gthread`) and granian (processes, Rust I/O, blocking threads), measured side
by side in one run on the same database with the demo and the same load as
bench/load.py (logged-in users of every role, reads and small uploads).

Run: `.venv/bin/python bench/servers.py [--users 30] [--seconds 30] [--warmup 10]
[--postgres postgres://kafo@127.0.0.1:54329/postgres]` (a database `kafo_servers` is
created there; SQLite in a temporary folder without it). Requires the dev group
(granian). No worker runs: the uploads wait in the queue, as reads are what is compared.
"""

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import signal

from load import KAFO, free_port, load, report, sessions, wait_until_up


def servers(port: int) -> dict[str, list[str]]:
    granian = str(Path(sys.executable).with_name("granian"))
    return {
        "waitress 1×8": [*KAFO, "serve", "--no-worker", "--port", str(port)],
        "gunicorn 2×4": [
            *KAFO,
            "serve",
            "--no-worker",
            "--port",
            str(port),
            "--workers",
            "2",
            "--threads",
            "4",
        ],
        "granian 2×4": [
            granian,
            "--interface",
            "wsgi",
            "--workers",
            "2",
            "--blocking-threads",
            "4",
            "--port",
            str(port),
            "--no-access-log",
            "kafo.wsgi:application",
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--warmup",
        type=float,
        default=10,
        help="seconds of load before the measured ones (fresh processes)",
    )
    parser.add_argument("--postgres")
    options = parser.parse_args()
    env = {**os.environ, "KAFO_REQUEST_LOG": "0", "KAFO_DATA_DIR": tempfile.mkdtemp()}
    if options.postgres:
        subprocess.run(
            ["psql", options.postgres, "-qc", "DROP DATABASE IF EXISTS kafo_servers"], check=True
        )
        subprocess.run(
            ["psql", options.postgres, "-qc", "CREATE DATABASE kafo_servers"], check=True
        )
        env["KAFO_DATABASE_URL"] = options.postgres.rsplit("/", 1)[0] + "/kafo_servers"
    else:
        env["KAFO_DATABASE_URL"] = ""
    subprocess.run([*KAFO, "migrate", "--no-input"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*KAFO, "demo", "--if-empty"], env=env, check=True, stdout=subprocess.DEVNULL)
    logged_in = sessions(env, options.users)
    results = {}
    port = free_port()
    for name, command in servers(port).items():
        process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(url)
            results[name] = asyncio.run(
                load(url, logged_in, options.users, options.seconds, options.warmup, None)
            )
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(20)
    database = "PostgreSQL" if options.postgres else "SQLite"
    print(
        f"\n{database}, {options.users} users, {options.seconds:.0f} s each, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )
    report(results)
    base = results["waitress 1×8"]["throughput"]
    for name, result in results.items():
        print(
            f"{name:<16} throughput {result['throughput']:.1f} req/s, "
            f"{result['throughput'] / base:.2f}× waitress"
        )


if __name__ == "__main__":
    main()
