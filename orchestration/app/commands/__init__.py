"""The `tgwh` commands, a module per group: build (run, rollback), query, scrape (scrape,
channels), bench, ui. app/cli.py puts them together."""
