"""Input files the tiers share."""

import json
from pathlib import Path

from orchestration.config import SAMPLE_DATA_DIR
from orchestration.ingest.sources import expand_sources


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
