"""Deterministic synthetic Telegram channel data for tgwh's scale benchmark.

Posts are distributed like the real and sample MFA data (see profile.py for what was measured
and where); every post is a pure function of (spec, index), so a history and its increment can
be generated separately.
"""

from orchestration.bench.synthetic.desktop import write_desktop_exports
from orchestration.bench.synthetic.posts import Post, SyntheticSpec, channel_list, posts_in_range
from orchestration.bench.synthetic.text_copy import write_text_copies
from orchestration.bench.synthetic.web_preview import write_web_preview_pages

__all__ = [
    "Post",
    "SyntheticSpec",
    "channel_list",
    "posts_in_range",
    "write_desktop_exports",
    "write_text_copies",
    "write_web_preview_pages",
]
