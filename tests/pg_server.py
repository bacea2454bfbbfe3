"""A throwaway PostgreSQL server for the tests and the benchmarks: the installed binaries, a temp
folder, loopback and a free port, a non-root user when run as root, stopped at the end."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Where Debian's packages put the server (its initdb is not on PATH).
SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/opt/postgresql*/bin")
USER = "parley"  # the database superuser's name (trust authentication, loopback only)


def binaries() -> Path | None:
    """The folder with ``initdb``, ``pg_ctl`` and ``postgres``, or None if none is installed."""
    found = shutil.which("initdb")
    candidates = [str(Path(found).resolve().parent)] if found else []
    for pattern in SEARCH:
        candidates += sorted(glob.glob(pattern), reverse=True)
    for folder in candidates:
        if all((Path(folder) / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    port: int
    folder: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"


@contextlib.contextmanager
def throwaway_server() -> Iterator[Server]:
    """Start a server (initdb refuses root, so as root it runs as ``nobody``); stop it after."""
    bin_dir = binaries()
    if bin_dir is None:
        raise FileNotFoundError("no PostgreSQL server binaries (initdb, pg_ctl, postgres) found "
                                "on PATH or in " + ", ".join(SEARCH))
    folder = Path(tempfile.mkdtemp(prefix="parley-pg-"))
    run_as: dict[str, object] = {}
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
        run_as = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
    data = folder / "data"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True,
             "cwd": folder, **run_as}
    subprocess.run([str(bin_dir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust",
                    "--locale=C", "--encoding=UTF8", "--no-sync"], **quiet)  # type: ignore[call-overload]
    server = None
    for _ in range(3):  # another process may take the free port before the server binds it
        port = _free_port()
        options = (f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off"
                   " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        started = subprocess.run(  # type: ignore[call-overload]
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
             str(folder / "server.log"), "-w", "-t", "30", "start"],
            **{**quiet, "check": False})
        if started.returncode == 0:
            server = Server(port, folder)
            break
    if server is None:
        log = (folder / "server.log").read_text(errors="replace")[-2000:]
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {log}")
    try:
        yield server
    finally:
        subprocess.run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w",
                        "stop"], **{**quiet, "check": False})  # type: ignore[call-overload]
        shutil.rmtree(folder, ignore_errors=True)
