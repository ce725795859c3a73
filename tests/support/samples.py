"""Input files the tiers share."""

import json
from pathlib import Path

from orchestration.config import SAMPLE_DATA_DIR
from orchestration.ingest.sources import expand_sources

GOOD_EXPORT = SAMPLE_DATA_DIR / "desktop_export" / "MAERusia" / "result.json"


def sample_files(folder: Path) -> list[Path]:
    """The bundled sample, plus (written into ``folder``) a later export of the Spanish channel
    in which one post was edited."""
    files = expand_sources([SAMPLE_DATA_DIR])
    export = next(p for p in files if "MAERusia" in str(p))
    document = json.loads(export.read_text())
    message = next(m for m in document["messages"] if m.get("type") == "message")
    message["text"] = "Texto corregido: el canciller Serguéi Lavrov visitó Venezuela."
    message["edited_unixtime"] = str(int(message["date_unixtime"]) + 3600)
    edited = folder / "MAERusia_edited.json"
    edited.write_text(json.dumps(document, ensure_ascii=False))
    return [*files, edited]


def blank_export(folder: Path) -> Path:
    """An export of another channel in which every post lost its text (a broken export): its
    batch fails the normalized posts' blocking check and is set aside."""
    export = json.loads(GOOD_EXPORT.read_text())
    export["name"], export["id"] = "Blank Channel", 4242
    for message in export["messages"]:
        message.update(text="", text_entities=[])
        for media in ("photo", "media_type", "file"):
            message.pop(media, None)
    path = folder / "blank.json"
    path.write_text(json.dumps(export, ensure_ascii=False))
    return path
