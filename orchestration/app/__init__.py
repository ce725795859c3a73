"""The `tgwh` command line.

- cli.py: the command group; commands/: the commands, a module per group
- render.py: what they print (query results, run summaries, benchmark tables)
- runner.py: runs Dagster jobs in this process (the only module here that imports dagster)
"""
