"""The analysis engine is pure: importing it loads no Django."""

import subprocess
import sys


def test_the_engine_imports_no_django():
    code = (
        "import sys, kafo.analysis.engine, kafo.analysis.gaps; "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)  # fmt: skip
    assert result.stdout.strip() == "False"


def test_extensions_come_from_the_installed_packages():
    from kafo.analysis.engine import connect, extension

    con = connect()
    for name in ("spatial", "sqlite_scanner", "postgres_scanner"):
        path = extension(name)
        assert path.is_file() and "site-packages" in str(path)
    con.execute(f"LOAD '{extension('spatial')}'")
    assert con.execute("SELECT ST_AsText(ST_Point(1, 2))").fetchone()[0] == "POINT (1 2)"
