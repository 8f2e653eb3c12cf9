"""A web worker imports only what its requests use: the libraries a worker may
never need (migrations, PDF reading, HEIC decoding) are imported on first use,
which keeps each worker's memory down (benchmarks/batch_memory.py)."""
from __future__ import annotations

import json
import subprocess
import sys

#: imported on first use only: Alembic/Mako by Flask-Migrate (~11 MiB), pypdf
#: (~10 MiB), pillow-heif/libheif (~7 MiB), fpdf2/fontTools (~36 MiB), pypdfium2, pydantic
#: (~8 MiB, the API's request bodies)
LAZY = ["alembic", "flask_migrate", "mako", "pypdf", "pillow_heif", "fpdf", "pypdfium2", "openpyxl",
        "pydantic"]

_SCRIPT = """
import json, sys
from archive import create_app
config = json.loads(sys.argv[1])
app = create_app(config)
client = app.test_client()
for url in sys.argv[2].split():
    assert client.get(url).status_code == 200, url
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[3:]))))
"""


def _loaded(app, urls: str, names: list[str]) -> list[str]:
    config = {key: app.config[key] for key in (
        "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "UPLOAD_DIR", "INDEX_DIR", "TESTING")}
    run = subprocess.run([sys.executable, "-c", _SCRIPT, json.dumps(config), urls, *names],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_a_worker_that_served_pages_has_not_imported_what_they_do_not_use(app):
    assert _loaded(app, "/ /cari?q=taman /api/v1/entries /peta", LAZY) == []


def test_numpy_and_numba_come_with_the_first_search(app):
    """numba and its LLVM are ~60 MB of a worker: only a worker that searches has them."""
    assert _loaded(app, "/ /masuk /api/v1/entries", ["numpy", "numba", "llvmlite"]) == []
    assert _loaded(app, "/ /cari?q=taman", ["numpy", "numba", "llvmlite"]) == [
        "llvmlite", "numba", "numpy"]


def test_the_migration_commands_still_load_on_demand(runner):
    listed = runner.invoke(args=["db", "--help"])
    assert listed.exit_code == 0, listed.output
    assert {"upgrade", "downgrade", "current", "heads"} <= set(listed.output.split())
    # Alembic prints to the stdout it was configured with, not click's: the exit code tells
    assert runner.invoke(args=["db", "heads"]).exit_code == 0
    assert runner.invoke(args=["db", "no-such-command"]).exit_code != 0
