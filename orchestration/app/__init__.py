"""The `tgwh` command line.

- cli.py: the command group; commands/: the commands, a module per group
- console.py, tables.py (query results), summary.py (what a build did), bench_report.py
- runner.py: runs Dagster jobs in this process (the only module here that imports dagster)
"""
