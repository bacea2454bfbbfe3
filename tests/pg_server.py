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
# A memory file system for the data folder where one is mounted with room to spare: every
# CREATE DATABASE creates ~1,000 files, and on a disk file system (ext4, its journal) that was
# 0.4-0.5 s of server CPU a copy, against 0.02-0.03 s on tmpfs.
MEMORY_FS = Path("/dev/shm")
MEMORY_FS_ROOM = 2 << 30  # bytes free: the data folder, its live copies and the WAL fit well


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


def data_root() -> str | None:
    """Where to make the server's folder: the memory file system if it has room, else the
    default temporary folder (None)."""
    try:
        stats = os.statvfs(MEMORY_FS)
    except OSError:
        return None
    roomy = stats.f_bavail * stats.f_frsize >= MEMORY_FS_ROOM
    return str(MEMORY_FS) if roomy and os.access(MEMORY_FS, os.W_OK | os.X_OK) else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_cpu_s(data: Path) -> float:
    """CPU seconds the server has used so far: the postmaster, its exited children and the
    live ones (the suite's own CPU figures leave out this daemon, which nobody waits for)."""
    try:
        postmaster = int((data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    ticks = 0
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.name == str(postmaster):
            ticks += sum(int(f) for f in fields[11:15])  # its own and its waited children's
        elif fields[1] == str(postmaster):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


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
    folder = Path(tempfile.mkdtemp(prefix="parley-pg-", dir=data_root()))
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
                   " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
                   " -c jit=off")
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
        cpu_log = os.environ.get("TESTS_PG_CPU_LOG")  # docs/testing.md: the suite's CPU
        if cpu_log:
            with open(cpu_log, "a") as out:
                out.write(f"{server_cpu_s(data):.2f}\n")
        subprocess.run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w",
                        "stop"], **{**quiet, "check": False})  # type: ignore[call-overload]
        shutil.rmtree(folder, ignore_errors=True)
