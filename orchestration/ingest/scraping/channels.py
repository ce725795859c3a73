"""Which channels to scrape: Telegram usernames, validated, kept in ``<home>/channels.txt``.

Until the user edits the list, the defaults shipped with the package apply; the first edit
copies them into the home folder, so the source tree is never written to.
"""

from __future__ import annotations

import re
from pathlib import Path

from filelock import FileLock

from orchestration.common.durable import write_text_atomic
from orchestration.config import Home
from orchestration.ingest.scraping.errors import InvalidChannelName

DEFAULT_CHANNELS_FILE = Path(__file__).resolve().parent / "default_channels.txt"

_USERNAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{4,31}")
# What people paste: "@name", "t.me/name", "https://t.me/s/name", "telegram.me/name/123".
_LINK_RE = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:t|telegram)\.me/(?:s/)?(?P<name>[^/?#\s]+)(?:/[0-9]*)?/?$",
    re.IGNORECASE,
)


def validate_channel_name(raw: str) -> str:
    """The username in ``raw`` (a bare name, "@name" or a t.me link), or InvalidChannelName.

    Telegram usernames are 5-32 characters: letters, digits and underscores, starting with a
    letter. Anything else is refused here so it never becomes part of a URL or a file path.
    """
    if not isinstance(raw, str):
        raise InvalidChannelName(f"channel name must be text, got {type(raw).__name__}")
    candidate = raw.strip()
    link = _LINK_RE.match(candidate)
    if link:
        candidate = link.group("name")
    candidate = candidate.removeprefix("@")
    if not _USERNAME_RE.fullmatch(candidate):
        raise InvalidChannelName(
            f"{raw!r} is not a Telegram channel username (5-32 letters, digits or underscores, "
            "starting with a letter)"
        )
    return candidate


def channel_key(name: str) -> str:
    """Telegram usernames are case-insensitive: one key (and one state file) per channel."""
    return name.lower()


def _names_in(path: Path) -> list[tuple[int, str]]:
    """(line number, name) for each non-comment line of a channel list."""
    names = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        entry = line.split("#", 1)[0].strip()
        if entry:
            names.append((number, entry))
    return names


def _read_list(path: Path) -> list[str]:
    seen: set[str] = set()
    channels = []
    for number, entry in _names_in(path):
        try:
            name = validate_channel_name(entry)
        except InvalidChannelName as problem:
            raise InvalidChannelName(f"{path}, line {number}: {problem}") from None
        if channel_key(name) not in seen:
            seen.add(channel_key(name))
            channels.append(name)
    return channels


def default_channels() -> list[str]:
    return _read_list(DEFAULT_CHANNELS_FILE)


def load_channels(home: Home) -> list[str]:
    """The user's channels (``<home>/channels.txt``), else the shipped defaults.

    Duplicates (case-insensitive) are dropped, the first spelling kept. A line that is not a
    username raises InvalidChannelName naming the file and line, rather than being skipped.
    """
    path = home.channels_file
    return _read_list(path) if path.exists() else default_channels()


def _edit_lock(home: Home) -> FileLock:
    home.root.mkdir(parents=True, exist_ok=True)
    return FileLock(str(home.channels_file) + ".lock", timeout=30)


def _current_text(home: Home) -> str:
    path = home.channels_file
    source = path if path.exists() else DEFAULT_CHANNELS_FILE
    return source.read_text(encoding="utf-8")


def add_channel(home: Home, name: str) -> bool:
    """Add a channel to the user's list; False when it was already there (any case)."""
    name = validate_channel_name(name)
    with _edit_lock(home):
        path = home.channels_file
        text = _current_text(home)
        if channel_key(name) in {channel_key(n) for n in load_channels(home)}:
            return False
        if text and not text.endswith("\n"):
            text += "\n"
        write_text_atomic(path, f"{text}{name}\n")
        return True


def remove_channel(home: Home, name: str) -> bool:
    """Remove a channel (any case) from the user's list; False when it was not there.

    Comments and other lines are kept as the user wrote them.
    """
    key = channel_key(validate_channel_name(name))
    with _edit_lock(home):
        lines = _current_text(home).splitlines(keepends=True)
        kept = []
        for line in lines:
            entry = line.split("#", 1)[0].strip()
            try:
                matches = bool(entry) and channel_key(validate_channel_name(entry)) == key
            except InvalidChannelName:
                matches = False  # leave a bad line for load_channels to report
            if not matches:
                kept.append(line)
        if len(kept) == len(lines):
            return False
        write_text_atomic(home.channels_file, "".join(kept))
        return True
