"""`pip install .` (not editable) into a fresh virtual environment gives a working illnet:
the content folders ship inside the wheel, and the query list, the data dictionary and a
load of a bundled example run from the installed copy, outside the source tree.

The environment sees the machine's site-packages for the dependencies (pandas, the
driver...), so the test costs one wheel build instead of a download of every dependency;
it checks that illnet itself and its content come from the environment, not the checkout."""

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from illnet.db import erase_all
from illnet.query import canned
from tests.load_helpers import illnet_env

pytestmark = pytest.mark.neo4j
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A virtual environment with illnet installed from a wheel of this checkout."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--disable-pip-version-check", "--root-user-action=ignore", str(ROOT)],
                   check=True, capture_output=True, text=True, timeout=600)
    return env_dir


def run(installed: Path, settings, tmp_path, *args) -> subprocess.CompletedProcess:
    env = illnet_env(settings, tmp_path / "home")
    env.pop("PYTHONPATH", None)
    return subprocess.run([str(installed / "bin" / args[0]), *args[1:]], env=env, cwd=tmp_path,
                          capture_output=True, text=True, check=False, timeout=600)


def test_illnet_and_its_content_come_from_the_environment(installed, settings, tmp_path):
    found = run(installed, settings, tmp_path, "python", "-c",
                "import illnet, illnet.content as c; print(illnet.__file__); "
                "print(*(c.folder(f) for f in c.FOLDERS), sep='\\n')")
    assert found.returncode == 0, found.stderr
    lines = found.stdout.split()
    assert all(line.startswith(str(installed)) for line in lines), lines
    assert len(lines) == 5


def test_query_list_and_schema_show_run_from_the_installed_copy(installed, settings, tmp_path):
    listed = run(installed, settings, tmp_path, "illnet", "query", "list", "--format", "csv")
    assert listed.returncode == 0, listed.stderr
    assert "network_size" in listed.stdout and len(listed.stdout.splitlines()) == len(canned.catalogue()) + 1
    shown = run(installed, settings, tmp_path, "illnet", "schema", "show", "--format", "csv")
    assert shown.returncode == 0, shown.stderr
    assert "NetworkMember" in shown.stdout


def test_a_bundled_example_loads_from_the_installed_copy(installed, driver, settings, tmp_path):
    erase_all(driver, settings.database)
    mapping = run(installed, settings, tmp_path, "python", "-c",
                  "from illnet import examples; print(examples.mapping_path('nwe'))").stdout.strip()
    assert mapping.startswith(str(installed))
    loaded = run(installed, settings, tmp_path, "illnet", "load", mapping)
    try:
        assert loaded.returncode == 0, loaded.stderr
        count = driver.execute_query("MATCH (p:Participant {studyId: 'nwe'}) RETURN count(p) AS n",
                                     database_=settings.database).records[0]["n"]
        assert count == 300
        reported = run(installed, settings, tmp_path, "illnet", "report", "nwe", "--out", "reports", "--sample", "1")
        assert reported.returncode == 0, reported.stderr   # the report's templates ship in the wheel
        sections = (tmp_path / "reports" / "nwe.html").read_text(encoding="utf-8").count('class="question"')
        assert sections == len(canned.catalogue())  # one section per canned question
    finally:
        erase_all(driver, settings.database)
