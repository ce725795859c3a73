"""What tgwh's long-lived helper processes (the validation worker, the warm dbt) share."""

from __future__ import annotations

import os
import signal

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """On Linux, have the kernel kill this process when its parent dies: a run killed while a
    helper imports leaves nobody working for nobody (elsewhere, a helper leaves when it next
    finds its parent gone). The signal follows the thread that started the helper, which is a
    run's main thread."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the line above
        os._exit(0)
