"""The `tgwh` command line.

- cli.py: the commands
- render.py: what they print (query results, run summaries, benchmark tables)
- runner.py: runs Dagster jobs in this process (the only module here that imports dagster)
"""
