"""Real faults of a machine, in a child process: a file size limit (writes past it fail with
EFBIG, as on a full disk) and a home made read-only with chmod (which binds root too, once the
child has given up the capabilities that let root write anywhere).

Children are spawned, not forked: Polars' thread pool does not survive a fork.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal
import sys
import threading
from collections.abc import Callable

_SPAWN = multiprocessing.get_context("spawn")
# CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER: what lets root ignore a file's mode
_ROOT_OVERRIDES = (1 << 1) | (1 << 2) | (1 << 3)
_CAPABILITY_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def obey_file_modes() -> None:
    """Drop root's power to write where a file's mode forbids it (nothing to do otherwise)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    header, data = _CapHeader(_CAPABILITY_VERSION_3, 0), (_CapData * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    for field in ("effective", "permitted", "inheritable"):
        setattr(data[0], field, getattr(data[0], field) & ~_ROOT_OVERRIDES)
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


def limit_file_size(limit: int) -> None:
    """Writes past ``limit`` bytes fail with EFBIG instead of killing the process (SIGXFSZ)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


class _Sender:
    """A child's stdout and stderr, sent over a pipe: a file would be bound by its limits."""

    def __init__(self, connection):
        self.connection = connection

    def write(self, text: str | bytes) -> int:  # click may write bytes
        self.connection.send(text if isinstance(text, str) else text.decode(errors="replace"))
        return len(text)

    def flush(self) -> None:
        pass


def _child(prepare: Callable[[], None], target: Callable[[], None], connection) -> None:
    sys.stdout = sys.stderr = _Sender(connection)
    prepare()
    target()


def run_in_child(
    prepare: Callable[[], None], target: Callable[[], None], timeout: float = 120
) -> tuple[int, str]:
    """(exit code, what it printed) of ``target`` in a spawned child after ``prepare``."""
    receiver, sender = _SPAWN.Pipe(duplex=False)
    child = _SPAWN.Process(target=_child, args=(prepare, target, sender))
    child.start()
    sender.close()
    said: list[str] = []
    drain = threading.Thread(target=_drain, args=(receiver, said), daemon=True)
    drain.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        raise TimeoutError(f"{target} did not end in {timeout} s")
    drain.join(10)
    return child.exitcode, "".join(said)


def _drain(receiver, said: list[str]) -> None:
    while True:
        try:
            said.append(receiver.recv())
        except EOFError:
            return
