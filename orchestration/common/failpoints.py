"""Named points where a test can kill this process, to prove that a crash loses nothing.

Set TGWH_FAILPOINT=<name> (or <name>#<n> for its n-th hit) and the process SIGKILLs itself
there: no cleanup, no finally blocks, as when the machine loses power. Unset, a failpoint is a
dictionary lookup.
"""

import os
import signal
from collections import Counter

from orchestration.config import failpoint_setting

_hits: Counter = Counter()


def failpoint(name: str) -> None:
    wanted = failpoint_setting()
    if not wanted or not wanted.startswith(name):
        return
    point, _, nth = wanted.partition("#")
    if point != name:
        return
    _hits[name] += 1
    if _hits[name] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
