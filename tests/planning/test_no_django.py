"""The planning engine is pure: importing it (and its instances) loads no Django."""

import subprocess
import sys


def test_the_engine_imports_no_django():
    code = (
        "import sys, kafo.planning.engine, kafo.planning.scenario, kafo.analysis.scenario; "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)  # fmt: skip
    assert result.stdout.strip() == "False"
