"""The terminal: standard output for results, standard error for progress and problems."""

from rich.console import Console

console = Console()
err_console = Console(stderr=True)
