"""IATI import memory on a large file: peak memory of `kafo import-iati` in its own
process, against the file's size.

Goal (issue #5): a 1 GB IATI file imports with peak memory under 300 MB.
The file is made of real-looking 2.03 activities (one in twenty for Mali, the others for
neighbours, as in a donor's or the Datastore's country-wide files); the import keeps
Mali's. Run: `.venv/bin/python bench/iati_import.py [--megabytes 1024]`.
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ACTIVITY = """ <iati-activity default-currency="EUR" humanitarian="1"
   last-updated-datetime="2025-01-01T00:00:00">
  <iati-identifier>XI-IATI-EC_ECHO-BENCH-{n}</iati-identifier>
  <reporting-org ref="XI-IATI-EC_ECHO" type="15">
   <narrative xml:lang="EN">ECHO</narrative></reporting-org>
  <title>
   <narrative xml:lang="FR">Éducation aux risques des engins explosifs, lot {n}</narrative>
  </title>
  <description type="1"><narrative xml:lang="FR">{text}</narrative></description>
  <participating-org ref="XI-IATI-EC_ECHO" role="1" type="15">
   <narrative>ECHO</narrative></participating-org>
  <participating-org role="4" type="21">
   <narrative>Partenaire {partner}</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date iso-date="2024-01-01" type="1"/>
  <activity-date iso-date="2024-12-31" type="3"/>
  <recipient-country code="{country}" percentage="100"/>
  <location><name><narrative>Lieu {n}</narrative></name>
   <point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>15.9 2.4</pos></point>
  </location>
  <sector code="15250" vocabulary="1" percentage="60"/>
  <sector code="10" vocabulary="10" percentage="40"/>
  <humanitarian-scope code="EP-2024-000001-001" type="1" vocabulary="1-2"/>
  <budget status="2" type="1"><period-start iso-date="2024-01-01"/>
   <period-end iso-date="2024-12-31"/>
   <value currency="EUR" value-date="2024-01-01">250000</value></budget>
{transactions} </iati-activity>
"""
TRANSACTION = """  <transaction><transaction-type code="{kind}"/><transaction-date iso-date="2024-0{month}-01"/>
   <value currency="EUR" value-date="2024-0{month}-01">{amount}</value>
   <provider-org ref="XI-IATI-EC_ECHO"><narrative>ECHO</narrative></provider-org></transaction>
"""  # noqa: E501


def write_file(path: Path, megabytes: int) -> int:
    target = megabytes * 1_000_000
    text = "Activités de sensibilisation communautaire. " * 20
    transactions = "".join(
        TRANSACTION.format(kind=3 if m % 2 else 2, month=m, amount=1000 * m) for m in range(1, 9)
    )
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n')
        while out.tell() < target:
            count += 1
            country = "ML" if count % 20 == 0 else ("NE", "BF", "SN", "MR")[count % 4]
            out.write(ACTIVITY.format(n=count, text=text, partner=count % 37, country=country,
                                      transactions=transactions))  # fmt: skip
        out.write("</iati-activities>\n")
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=1024)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kafo-bench-iati-"))
    path = folder / "activities.xml"
    started = time.perf_counter()
    count = write_file(path, args.megabytes)
    size = path.stat().st_size
    print(f"{size / 1e6:,.0f} MB, {count:,} activities ({count // 20:,} for Mali), written in "
          f"{time.perf_counter() - started:.0f} s; {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    env = {**os.environ, "KAFO_DATA_DIR": str(folder)}
    kafo = [sys.executable, "-m", "kafo"]
    subprocess.run([*kafo, "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [*kafo, "shell", "-c",
         "from kafo.currencies.models import ExchangeRate; import datetime; "
         "ExchangeRate.objects.create(currency='EUR', date=datetime.date(2024, 1, 1), "
         "to_usd=1.1, source='bench')"],
        env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    report = folder / "report.txt"
    started = time.perf_counter()
    with report.open("w") as out:
        child = subprocess.Popen(
            [*kafo, "import-iati", str(path), "--country", "ML"],
            env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        # The rusage of this child alone: its own peak resident memory.
        _pid, _status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    peak_mb = usage.ru_maxrss / 1024
    print(report.read_text().strip().splitlines()[0])
    print(f"import: {elapsed:.0f} s ({size / 1e6 / elapsed:.1f} MB/s)")
    print(
        f"peak memory of the import process: {peak_mb:,.0f} MB (goal < 300 MB); "
        f"{peak_mb * 1e6 / size:.3f} bytes of memory per byte of file"
    )
    path.unlink()


if __name__ == "__main__":
    main()
