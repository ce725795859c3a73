"""Test support for the scraper: a fake t.me web preview served over real local HTTP."""
