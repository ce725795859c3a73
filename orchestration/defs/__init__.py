"""All Dagster wiring, one small module per concern; the pure core it wires lives beside it.

- definitions.py: the code location (workspace.yaml loads it)
- keys.py: asset keys, job names, stage tags (what the command line addresses)
- resources.py: the home folder and the dbt CLI
- project.py: the dbt project and its manifest
- raw.py, scrape.py, normalized.py, entities.py, dbt.py, publish.py: the assets, by stage
- checks.py: the Great Expectations suites as blocking asset checks
- automation.py: jobs, the scrape schedule, the inbox and rebuild sensors
- metadata.py: previews shown in the UI
"""
