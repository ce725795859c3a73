"""Opening a source file safely: only regular files, never more than the size limit.

A FIFO, a device or a socket named by mistake would block the run or never end, so each is
refused by name with what it is; so is a file over ``TGWH_MAX_FILE_BYTES``. Every refusal is a
SourceFileError whose problem says why in words (a symlink loop, a broken link, the OS's
message), never a bare OSError.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from orchestration.config import max_file_bytes
from orchestration.ingest.parsing.common import SourceFileError

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def default_max_bytes() -> int:
    return max_file_bytes()


def human_bytes(size: int) -> str:
    for unit, scale in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def too_large(size: int, max_bytes: int) -> str:
    return (
        f"file too large: {human_bytes(size)}, over the limit of {human_bytes(max_bytes)} "
        "(raise TGWH_MAX_FILE_BYTES to read it)"
    )


def os_problem(path: Path, error: OSError) -> str:
    """An OSError in words: a symlink loop, a broken link, or the OS's own message."""
    if error.errno == errno.ELOOP:
        return "symlink loop (the link points, directly or not, back to itself)"
    if error.errno == errno.ENOENT:
        if path.is_symlink():
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            return f"broken symbolic link (its target {target} does not exist)"
        return "no such file"
    reason = error.strerror or str(error)
    name = errno.errorcode.get(error.errno or 0)
    return f"cannot read file: {reason}" + (f" ({name})" if name else "")


def _kind(mode: int) -> str | None:
    """What a non-regular file is, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def check_source(path: Path, max_bytes: int | None = None) -> os.stat_result:
    """The file's status when it is a readable regular file within the size limit, else
    SourceFileError with the reason. Nothing is opened, so a FIFO never blocks here."""
    max_bytes = default_max_bytes() if max_bytes is None else max_bytes
    try:
        status = path.stat()
    except OSError as error:
        raise SourceFileError(path, os_problem(path, error)) from None
    kind = _kind(status.st_mode)
    if kind == "a folder":
        try:
            with os.scandir(path):
                pass
        except OSError as error:
            raise SourceFileError(path, f"folder cannot be listed: {error.strerror}") from None
        raise SourceFileError(path, "a folder, not a file")
    if kind is not None:
        raise SourceFileError(path, f"not a regular file: {kind}")
    if status.st_size > max_bytes:
        raise SourceFileError(path, too_large(status.st_size, max_bytes))
    return status


def open_source(path: Path, max_bytes: int | None = None) -> BinaryIO:
    """The file opened for reading, checked again on the open descriptor.

    O_NONBLOCK: a path swapped for a FIFO after check_source still does not block the open (it
    has no effect on reading a regular file).
    """
    max_bytes = default_max_bytes() if max_bytes is None else max_bytes
    check_source(path, max_bytes)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise SourceFileError(path, os_problem(path, error)) from None
    handle = os.fdopen(descriptor, "rb")
    status = os.fstat(handle.fileno())
    kind = _kind(status.st_mode)
    if kind is not None:
        handle.close()
        raise SourceFileError(path, f"not a regular file: {kind}")
    return handle


def read_bounded(path: Path, max_bytes: int | None = None) -> bytes:
    """The whole file, or SourceFileError when it is not a regular file or grows past the limit
    while it is read."""
    max_bytes = default_max_bytes() if max_bytes is None else max_bytes
    with open_source(path, max_bytes) as handle:
        try:
            # read(n) allocates n bytes up front: ask for the size the file has (and one more
            # byte, to notice growth), not for the limit
            expected = min(os.fstat(handle.fileno()).st_size, max_bytes)
            data = handle.read(expected + 1)
            if len(data) > expected:  # it grew while read: the rest in chunks, up to the limit
                parts, total = [data], len(data)
                while total <= max_bytes and (chunk := handle.read(1 << 20)):
                    parts.append(chunk)
                    total += len(chunk)
                data = b"".join(parts)
        except OSError as error:
            raise SourceFileError(path, os_problem(path, error)) from None
    if len(data) > max_bytes:
        raise SourceFileError(path, too_large(len(data), max_bytes))
    return data
