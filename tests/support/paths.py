"""Where the tests' own fixtures, labelled data and the real-data conformance suite live."""

from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parents[1]
PROJECT_DIR = TESTS_DIR.parent
FIXTURES = TESTS_DIR / "fixtures"
PARSING_FIXTURES = FIXTURES / "parsing"
LABELLED_DATA = TESTS_DIR / "data"
# Real Telegram files nobody here wrote, beside the checkout when present.
REAL_DATA = PROJECT_DIR.parent / "shared" / "data" / "real"
