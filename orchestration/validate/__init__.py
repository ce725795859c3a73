"""Great Expectations: what dbt's tests cannot say, checked before anything is published.

- suites.py: the suite files in expectations/ (one per table), loaded and checked
- context.py: the GX context of a home, suite registration, Data Docs
- inputs.py: frames handed to GX (pandas via Arrow) and run-time parameters
- normalized.py: the normalized_posts suite, on the batches not yet published
- marts.py: the warehouse suites, on the candidate warehouse
- results.py: what a suite run found, as plain data
"""
