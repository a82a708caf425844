"""The engines are pure: importing every module of kafo.analysis and kafo.planning, and
the vocabulary, loads no Django."""

import pkgutil
import subprocess
import sys

import kafo.analysis
import kafo.planning


def test_no_engine_module_imports_django():
    modules = ["kafo.vocabulary"] + [
        f"{package.__name__}.{info.name}"
        for package in (kafo.analysis, kafo.planning)
        for info in pkgutil.iter_modules(package.__path__)
    ]
    assert "kafo.analysis.gaps" in modules and "kafo.planning.engine" in modules
    code = (
        f"import sys, importlib; [importlib.import_module(m) for m in {modules!r}]; "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)  # fmt: skip
    assert result.stdout.strip() == "False"
