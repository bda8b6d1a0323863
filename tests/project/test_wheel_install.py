"""The wheel, installed into a fresh virtual environment away from the checkout, runs a whole
inspection from the command line.

An editable install hides what a wheel can lose: package data left out (the framework file, the
report fonts, the migrations), imports of files that exist only in the checkout, the console
script's wiring. Here the wheel is built from a copy of the sources (so nothing is written into
the checkout), installed with no index into a new venv that borrows only the dependencies from
the project's venv (a .pth file naming its site-packages), and `inspector-app` is run from a
folder outside the checkout.

Building: the project's venv may not be able to build a wheel by itself (pyproject asks for
setuptools>=68 and wheel; a venv made by `make` has the setuptools that came with Python, which
cannot write a wheel without the `wheel` package). Then the wheel is built with build isolation,
its build requirements coming from pip's configured sources, as `make test`'s install does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "inspector_app")
RESOURCES = (
    "inspector_app/resources/frameworks/iaow-2013.toml",
    "inspector_app/resources/subgroups.toml",
    "inspector_app/resources/fonts/DejaVuSans.ttf",
    "inspector_app/resources/fonts/DejaVuSans-Bold.ttf",
    "inspector_app/resources/fonts/DejaVuSans-Oblique.ttf",
)
# A trust's own headings and spellings, so the profile is read from the installed framework file.
SAMPLE = """\
Caseload extract for HMI Probation
,,,,,,,
Sample,CRN,Offender Name,Sentence,Risk of Serious Harm,NOMS Tier,DV Flag,Team
1,D100001,Aaron Ainsworth,CO,MEDIUM,Tier 3,Y,Liverpool North
2,D100002,Chloë Brennan,SSO,Low,T2,N,Sefton
3,D100003,Imran Chaudhry,Licence,HIGH,Tier 3,N,Wirral
4,D100004,Jerome Dixon,Licence,VH,Tier 1,Y,Liverpool Central
5,D100005,Nadia Evans,Community order,Medium,Tier 4,N,St Helens
6,D100006,Peter Fallon,Suspended sentence order,Low,,N,Knowsley
7,D100007,Gary Gibson,License,Very High,Tier 2,Y,Liverpool North
8,D100008,Holly Hughes,CO,Low,Tier 4,N,Sefton
,,,,,,,
Total cases: 8
"""


def run(command: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 240) -> str:
    """Runs a command, failing the test with its output when it fails; returns its stdout."""
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, (
        f"{' '.join(command)} exited {done.returncode}\n"
        f"--- stdout\n{done.stdout[-4000:]}\n--- stderr\n{done.stderr[-4000:]}"
    )
    return done.stdout


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    """tmp_path, removed afterwards: a venv and a wheel are too big to leave behind."""
    yield tmp_path
    shutil.rmtree(tmp_path, ignore_errors=True)


def build_wheel(folder: Path) -> tuple[Path, str]:
    """The wheel, built from a copy of the sources, and how it was built."""
    source = folder / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        path = CHECKOUT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    out = folder / "dist"
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out)]
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    offline = subprocess.run(
        [*pip_wheel, "--no-build-isolation", "--no-index", str(source)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    how = "without build isolation"
    if offline.returncode != 0:
        shutil.rmtree(source / "build", ignore_errors=True)
        run([*pip_wheel, "--retries", "1", "--timeout", "30", str(source)], cwd=folder, env=env)
        how = "with build isolation"
    (wheel,) = out.glob("inspector_app-*.whl")
    return wheel, how


def make_venv(folder: Path, wheel: Path) -> Path:
    """A fresh venv with the wheel installed from the file alone and the project venv's
    dependencies on its path; returns its bin folder."""
    venv = folder / "venv"
    run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=folder, env=dict(os.environ)
    )
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps"]
    run([*install, "--no-index", "--quiet", str(wheel)], cwd=folder, env=dict(os.environ))
    site_packages = run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        cwd=folder,
        env=dict(os.environ),
    ).strip()
    deps = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    # Added after the venv's own site-packages: the installed package wins over the editable one
    # (whose finder .pth is not run: a .pth line only adds a folder to the path).
    (Path(site_packages) / "_project_dependencies.pth").write_text(
        "".join(f"{path}\n" for path in deps), encoding="utf-8"
    )
    return bin_dir


def app_env(folder: Path, bin_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "INSPECTOR_APP_RESOURCES")
    }
    home = folder / "home"
    env.update(
        INSPECTOR_APP_HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        QT_QPA_PLATFORM="offscreen",
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
    )
    return env


def test_the_installed_wheel_runs_an_inspection_from_outside_the_checkout(workdir: Path) -> None:
    start = time.perf_counter()

    wheel, how = build_wheel(workdir)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert set(RESOURCES) <= names
    assert any(n.startswith("inspector_app/core/storage/migrations/") for n in names)
    assert not any(n.startswith("tests/") for n in names)
    built = time.perf_counter()

    bin_dir = make_venv(workdir, wheel)
    venv = bin_dir.parent
    installed = time.perf_counter()

    cwd = workdir / "elsewhere"
    cwd.mkdir()
    env = app_env(workdir, bin_dir)
    python = str(bin_dir / "python")
    where = json.loads(
        run(
            [
                python,
                "-c",
                "import json, sys, inspector_app\n"
                "from inspector_app.core.framework import frameworks_dir, resources_dir\n"
                "from inspector_app.core.report.fonts import fonts_dir\n"
                "print(json.dumps({'package': inspector_app.__file__,"
                " 'resources': str(resources_dir()), 'frameworks': str(frameworks_dir()),"
                " 'fonts': str(fonts_dir()), 'path': sys.path}))",
            ],
            cwd=cwd,
            env=env,
        )
    )
    for key in ("package", "resources", "frameworks", "fonts"):
        path = Path(where[key]).resolve()
        assert path.is_relative_to(venv.resolve()), (key, path)
        assert not path.is_relative_to(CHECKOUT), (key, path)
    assert (Path(where["frameworks"]) / "iaow-2013.toml").is_file()
    assert (Path(where["fonts"]) / "DejaVuSans.ttf").is_file()
    assert str(CHECKOUT) not in where["path"]

    app = str(bin_dir / "inspector-app")
    master = "merseyside.inspection"
    (cwd / "long-list.csv").write_text(SAMPLE, encoding="utf-8")
    out = run(
        [
            app,
            "new",
            master,
            "--title",
            "Inspection of Adult Offending Work: Merseyside",
            "--organisation",
            "Merseyside",
            "--lead",
            "Helen Ashworth",
            "--fieldwork-start",
            "2013-11-04",
            "--fieldwork-end",
            "2013-11-08",
        ],
        cwd=cwd,
        env=env,
    )
    assert "iaow-2013" in out
    for name in ("Daniel Okafor", "Priya Raman"):
        run([app, "team", "add", master, name, "--role", "inspector"], cwd=cwd, env=env)
    out = run([app, "import-sample", master, "long-list.csv"], cwd=cwd, env=env)
    assert "Imported 8 cases" in out
    run([app, "allocate", master, "--auto"], cwd=cwd, env=env)
    team = json.loads(run([app, "team", "list", master, "--json"], cwd=cwd, env=env))
    assert sum(member["cases"] for member in team) == 8
    assert {m["name"]: m["cases"] for m in team}["Daniel Okafor"] == 4
    run([app, "report", master, "-o", "out.pdf"], cwd=cwd, env=env)
    pdf = cwd / "out.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 10_000
    finished = time.perf_counter()

    print(
        f"wheel built {how} in {built - start:.1f}s, venv and install {installed - built:.1f}s, "
        f"commands {finished - installed:.1f}s"
    )
