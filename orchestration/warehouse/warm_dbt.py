"""dbt, imported before the run needs it: a process that becomes the run's `dbt build`.

Starting dbt costs ~2.5 s of one core before it reads a file (the interpreter, dbt-core, its
DuckDB adapter), every run, whatever the run's data. A run starts this process while it lands
and normalizes its new posts, so that import happens on the other core; when dagster-dbt then
starts `tgwh-dbt` (app/dbt_in_home.py), that small process hands its standard input, output
and error, its arguments, environment and working directory to the warm one over a Unix socket,
which then runs dbt exactly as the `dbt` command would, and reports dbt's exit status back.
`tgwh-dbt` exits with that status, so dagster-dbt sees the same process, the same output
stream and the same exit status as before; an interrupt it sends reaches dbt (forwarded).

A warm dbt serves one invocation: the first `tgwh-dbt` to connect takes it, and any other
falls back to starting dbt itself (os.execv), as it does when no warm dbt is running or the warm
one died. It dies with the process that started it (Linux) and stops dbt if the `tgwh-dbt`
it serves disappears. dbt-core has no server mode of its own (dbt-rpc is gone), and dagster-dbt
only streams a subprocess's output, hence this hand-off rather than dbt's programmatic runner.

TGWH_WARM_DBT=off: start dbt from scratch at each invocation, as plain `dbt` does.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from orchestration.common.child_process import die_with_parent
from orchestration.config import (
    PROJECT_DIR,
    adopt_environment,
    child_environment,
    environment_snapshot,
    forget_warm_dbt_socket,
    name_warm_dbt_socket,
    python_unbuffered,
    warm_dbt_setting,
    warm_dbt_socket,
)

# dbt-core's modules that a `dbt build` on DuckDB imports after its command line is read
# (found by comparing sys.modules before and after an invocation)
DBT_MODULES = (
    "dbt.cli.main",
    "dbt.adapters.duckdb",
    "dbt.adapters.sql",
    "dbt.include.duckdb",
    "dbt.compilation",
    "dbt.graph.thread_pool",
    "dbt.task.build",
    "dbt.task.runnable",
    "dbt.task.printer",
    "sqlparse",
)
STOP_GRACE_SECONDS = 3.0  # dbt's time to stop after an interrupt, as the run allows it


class WarmDbt:
    """The run's end: keeps one idle warm dbt ready and names its socket in the environment
    that dagster-dbt passes on to `tgwh-dbt`."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._folder: Path | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start a warm dbt unless an idle one is ready; return at once."""
        if not warm_dbt_setting():
            return
        with self._lock:
            if self._idle():
                name_warm_dbt_socket(str(self._socket))
                return
            self._release()
            self._folder = Path(tempfile.mkdtemp(prefix="tgwh-dbt-"))  # only this user's
            self._process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(self._socket), str(os.getpid())],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                # the same code as the parent's, also from a checkout that is not installed
                env=child_environment(PYTHONPATH=str(PROJECT_DIR)),
            )
            name_warm_dbt_socket(str(self._socket))

    def stop(self) -> None:
        """End the warm dbt, idle or not (at exit, a dbt still running has no one to serve)."""
        with self._lock:
            self._release()

    @property
    def _socket(self) -> Path:
        return self._folder / "dbt.sock"

    def _idle(self) -> bool:
        """Running and not taken: a warm dbt removes its socket when a `tgwh-dbt` takes it."""
        return self._process is not None and self._process.poll() is None and self._socket.exists()

    def _release(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
            self._process = None
        if self._folder is not None:
            forget_warm_dbt_socket(str(self._socket))
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


WARM_DBT = WarmDbt()
atexit.register(WARM_DBT.stop)


def taken_mark(socket_path: Path) -> Path:
    return socket_path.with_name("taken")


def start_warm_dbt() -> None:
    """Have a dbt process import dbt now, for a run that will build the warehouse soon."""
    WARM_DBT.start()


# --- `tgwh-dbt`'s end -------------------------------------------------------------------------


def hand_off(argv: list[str]) -> int | None:
    """Have the warm dbt named in the environment run ``argv`` (dbt's command line, argv[0] the
    dbt executable) with this process's standard streams, environment and working directory;
    dbt's exit status, or None when no warm dbt took it (start dbt then)."""
    path = warm_dbt_socket()
    forget_warm_dbt_socket()  # dbt's own children must not look for it
    if not path:
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
        request = {"argv": argv, "cwd": os.getcwd(), "env": environment_snapshot()}
        socket.send_fds(connection, [b"R"], [0, 1, 2])
        connection.sendall(json.dumps(request).encode() + b"\n")
        replies = connection.makefile("rb")
        taken = replies.readline()  # the warm dbt's pid once it has taken the request
    except OSError:
        connection.close()
        return None
    if not taken.strip().isdigit():
        connection.close()
        return None  # it died before taking it: nothing ran
    dbt_pid = int(taken)

    def forward(signum, _frame) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(dbt_pid, signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    status = replies.readline().strip()
    replies.read()  # until the warm dbt has exited, as dbt's own process would have
    connection.close()
    # no status: it was killed before dbt returned (as a signal would end dbt's own process)
    return int(status) if status.lstrip(b"-").isdigit() else 128 + signal.SIGKILL


# --- the warm dbt's end -----------------------------------------------------------------------


def serve(socket_path: str, parent: int) -> None:
    """Listen, import dbt, take one request, run dbt as it asks, report dbt's exit status."""
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))  # Ctrl-C while idle: just leave
    die_with_parent(parent)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)  # before importing: a `tgwh-dbt` early waits for the import
    listener.listen(1)
    for module in DBT_MODULES:
        __import__(module)
    connection, _ = listener.accept()
    taken_mark(Path(socket_path)).touch()  # the run starts another for its next build
    os.unlink(socket_path)  # taken: the next `tgwh-dbt` starts dbt itself
    listener.close()
    _message, fds, _flags, _address = socket.recv_fds(connection, 1, 3)
    request = json.loads(connection.makefile("rb").readline())
    _become(request, fds)
    connection.sendall(f"{os.getpid()}\n".encode())
    threading.Thread(target=_stop_if_abandoned, args=(connection,), daemon=True).start()
    code = _run_dbt(request["argv"])
    with contextlib.suppress(OSError):
        connection.sendall(f"{code}\n".encode())
    sys.exit(code)


def _become(request: dict, fds: list[int]) -> None:
    """Take over the standard streams, directory and environment of the `tgwh-dbt` served."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    adopt_environment(request["env"])
    sys.argv = list(request["argv"])
    # Python set its streams' buffering at start-up, from this process's environment; dbt's
    # output must stream as it would in its own process (dagster-dbt sets PYTHONUNBUFFERED)
    unbuffered = python_unbuffered()
    for name, fd in (("stdout", 1), ("stderr", 2)):
        old = getattr(sys, name)
        stream = io.TextIOWrapper(
            io.FileIO(fd, "w", closefd=False) if unbuffered else open(fd, "wb", closefd=False),  # noqa: SIM115
            encoding=old.encoding,
            errors=old.errors,
            write_through=unbuffered,
            line_buffering=not unbuffered,
        )
        setattr(sys, name, stream)
    sys.stdin = open(0, closefd=False)  # noqa: SIM115
    signal.signal(signal.SIGINT, signal.default_int_handler)  # dbt stops on KeyboardInterrupt


def _run_dbt(argv: list[str]) -> int:
    from dbt.cli.main import cli

    try:
        cli.main(args=argv[1:], prog_name="dbt")
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except KeyboardInterrupt:
        return 130
    return 0


def _stop_if_abandoned(connection: socket.socket) -> None:
    """The `tgwh-dbt` served is gone (killed): interrupt dbt, and leave if it does not stop."""
    with contextlib.suppress(OSError):
        while connection.recv(1):
            pass
    os.kill(os.getpid(), signal.SIGINT)
    threading.Event().wait(STOP_GRACE_SECONDS)
    os._exit(130)


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
