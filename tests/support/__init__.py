"""What the tests share: paths of the fixtures, the command line as a user runs it, homes
built in this process, and a fake t.me on a local HTTP server."""
