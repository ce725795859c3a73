"""The report of the published warehouse, for people who would rather look than read: posts
per channel over time, the countries and leaders mentioned most, views and subscribers, and
the checks over runs, as charts (matplotlib) on one HTML page that opens offline. Pure code:
it reads the published warehouse read-only and the check history; no Dagster."""
