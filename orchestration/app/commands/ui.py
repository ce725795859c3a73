"""`tgwh ui`: the Dagster UI on this home."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from orchestration.app.console import console
from orchestration.config import PROJECT_DIR, Home


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=3000, show_default=True)
def ui(host: str, port: int) -> None:
    """Start the Dagster UI (and its daemon, for the inbox sensor) on this home."""
    from orchestration.app.runner import use_home

    use_home(Home.from_env())
    # A backgrounded shell starts us with SIGINT ignored; dagster dev inherits that and could
    # then not be stopped with Ctrl-C or kill -INT.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    dagster = Path(sys.executable).with_name("dagster")
    args = [
        str(dagster),
        "dev",
        "-w",
        str(PROJECT_DIR / "workspace.yaml"),
        "-h",
        host,
        "-p",
        str(port),
    ]
    console.print(f"Dagster UI on http://{host}:{port}  (Ctrl-C to stop)")
    os.execv(args[0], args)
