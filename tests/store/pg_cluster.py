"""A throw-away PostgreSQL server in a temporary folder (initdb + pg_ctl), for the store's tests
and bench/store.py. No pytest here, so the bench can use it too.

initdb and postgres refuse to run as root: run as root (CI), the cluster belongs to the
`postgres` user (the Debian package makes it), else `nobody`, and the server runs as that user
(`subprocess`'s `user=`, no sudo); run as anyone else, it is theirs. The server listens on a
socket in the folder (trusted: the test process connects as the superuser there) and on
127.0.0.1 at a free port (password logins only, to test ~/.pgpass and PGPASSWORD).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "store_admin"
_NEEDED = ("initdb", "pg_ctl", "postgres")


def server_binaries() -> Path | None:
    """The folder of initdb, pg_ctl and postgres: PG_BINDIR, pg_config's, the Debian
    packages' (newest version first), or on the PATH; None when there is no server."""
    candidates: list[Path] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            done = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=10
            )
            candidates.append(Path(done.stdout.strip()))
    debian = Path("/usr/lib/postgresql").glob("*/bin")
    candidates += sorted(debian, key=_version_of, reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if all((folder / name).is_file() for name in _NEEDED):
            return folder
    return None


def _version_of(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name)) or (0,)


@dataclass
class Cluster:
    """A running throw-away server."""

    bindir: Path
    folder: Path
    port: int
    run_as: str | None  # the unprivileged user the server runs as (when started by root)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def socket_address(self, database: str, user: str = SUPERUSER) -> str:
        """An address over the folder's socket (trusted: no password)."""
        return f"postgresql+psycopg://{user}@/{database}?host={self.folder}&port={self.port}"

    def tcp_address(self, database: str, user: str, password: str | None = None) -> str:
        """An address over TCP (a password login)."""
        secret = f":{password}" if password else ""
        return f"postgresql+psycopg://{user}{secret}@127.0.0.1:{self.port}/{database}"

    def admin(self, *statements: str, database: str = "postgres") -> None:
        """Run statements as the superuser, each in its own transaction (CREATE DATABASE
        cannot run inside one)."""
        import psycopg

        with psycopg.connect(
            host=str(self.folder), port=self.port, user=SUPERUSER, dbname=database, autocommit=True
        ) as conn:
            for statement in statements:
                conn.execute(statement.encode("utf-8"))

    def stop(self) -> None:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            _run(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                self.run_as,
                self.folder,
            )
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(bindir: Path, *, durable: bool = False) -> Cluster:
    """initdb and start a server; `durable` keeps fsync on (the bench), else it is off (the
    tests: a throw-away cluster need not survive a power cut)."""
    folder = Path(tempfile.mkdtemp(prefix="inspector-pg-"))
    run_as = _unprivileged_user() if os.geteuid() == 0 else None
    if run_as is not None:
        account = pwd.getpwnam(run_as)
        os.chown(folder, account.pw_uid, account.pw_gid)
    cluster = Cluster(bindir, folder, _free_port(), run_as)
    try:
        _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(cluster.data),
                "-U",
                SUPERUSER,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            run_as,
            folder,
        )
        options = [
            f"-p {cluster.port}",
            f"-k {folder}",
            "-c listen_addresses=127.0.0.1",
            "-c max_connections=50",
        ]
        if not durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        _run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(cluster.data),
                "-l",
                str(cluster.log),
                "-w",
                "-t",
                "60",
                "-o",
                " ".join(options),
                "start",
            ],
            run_as,
            folder,
        )
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _unprivileged_user() -> str:
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root, and there is no 'postgres' or 'nobody' user to run as")


def _run(command: list[str], run_as: str | None, cwd: Path) -> None:
    account = pwd.getpwnam(run_as) if run_as is not None else None
    done = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        user=account.pw_uid if account else None,
        group=account.pw_gid if account else None,
        extra_groups=[] if account else None,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} failed: {done.stderr.strip() or done.stdout}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
