"""Source-file parsers: web-preview HTML, Telegram Desktop JSON exports, text copies and JSON
Lines of Telethon message objects.

Each file becomes raw post, header, service and reject frames on the contracts in
orchestration.schemas; a file that cannot be read at all raises SourceFileError.
"""

from orchestration.ingest.parsing.api import detect_format, parse_file
from orchestration.ingest.parsing.common import ParsedFile, SourceFileError

__all__ = ["ParsedFile", "SourceFileError", "detect_format", "parse_file"]
