"""What the tests share: paths of the fixtures, the command line as a user runs it, homes
built in this process, dbt builds on synthetic Parquet, and a fake t.me on a local HTTP
server."""
