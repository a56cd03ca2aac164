"""The domain core knows nothing of the web: each of its modules imports in a fresh interpreter without Flask,
SQLAlchemy or Flask-Login being loaded, so the CLI, the benchmarks and other programs can use it on its own."""

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import app

CORE = ("app.engine", "app.planning", "app.knowledge", "app.interview", "app.formats", "app.evidence_scan")
WEB = ("flask", "sqlalchemy", "flask_login", "flask_sqlalchemy", "werkzeug")

# Imports each module in turn and says which of them first brought in a web module.
PROBE = """
import importlib, json, sys
web = set(sys.argv[2].split(","))
loaded = {}
for name in sys.argv[1].split(","):
    importlib.import_module(name)
    new = sorted(m for m in sys.modules if m.split(".")[0] in web and m not in loaded)
    loaded.update(dict.fromkeys(new, name))
print(json.dumps(loaded))
"""


def probe(modules: list[str]) -> dict[str, str]:
    """Web module -> the module whose import loaded it, in a fresh interpreter."""
    run = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(modules), ",".join(WEB)],
        capture_output=True,
        text=True,
        cwd=Path(app.__file__).parent.parent,
        check=True,
    )
    return json.loads(run.stdout)


def core_modules() -> list[str]:
    found = []
    for package in CORE:
        found.append(package)
        path = Path(app.__file__).parent / package.split(".")[1]
        found += [info.name for info in pkgutil.walk_packages([str(path)], prefix=package + ".")]
    return found


def test_the_core_has_modules_to_check():
    modules = core_modules()
    assert {"app.engine.evaluate", "app.planning.report", "app.knowledge.loader"} <= set(modules)
    assert len(modules) > 30


def test_no_core_module_loads_the_web_stack():
    loaded = probe(core_modules())
    assert loaded == {}, f"the core loaded the web stack: {loaded}"


def test_the_probe_sees_the_web_stack_when_it_is_loaded():
    loaded = probe(["app.planning.report", "app.factory"])
    assert loaded["flask"] == "app.factory"
