"""The DuckDB warehouse: built, audited and published by one lifecycle, read-only for users.

- lifecycle.py: one build, from deciding full refresh or incremental to publishing
- versions.py: the warehouse's files (candidate, published, versions, failed builds)
- stamp.py: what a build was made from (audit.warehouse_build)
- query.py: read-only SQL on the published warehouse
"""
