"""Configuration, read in one place: every environment variable tgwh reads, and the home folder.

All run-time state lives in one home folder (``TGWH_HOME``, else ``./.tgwh``). ``Home`` knows
the layout of every part of it, so no other module joins paths under the home: each stage asks
its layout (``home.raw``, ``home.warehouse``, ``home.scrape``...) for the paths it works on.

Variables are read when ``settings()`` is called, never at import time, so a test or the
command line can set them first. A test checks that no other module reads ``os.environ``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DBT_PROJECT_DIR = PROJECT_DIR / "dbt_project"
BUNDLED_EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
SAMPLE_DATA_DIR = PACKAGE_DIR / "sample_data"
REFERENCE_DIR = PACKAGE_DIR / "reference"
DEFAULT_HOME_NAME = ".tgwh"


# --- the home folder -----------------------------------------------------------------------


@dataclass(frozen=True)
class RawLayout:
    """``<home>/raw``: immutable Parquet, a file per ingested batch in each table's folder."""

    root: Path

    def table_dir(self, table: str) -> Path:
        return self.root / table

    def batch_file(self, table: str, batch_id: str) -> Path:
        return self.root / table / f"{batch_id}.parquet"

    @property
    def removals_dir(self) -> Path:
        """One file per batch a user removed (`tgwh batches remove`): what, when, why."""
        return self.root / "removals"


@dataclass(frozen=True)
class QuarantinedBatchLayout:
    """``<home>/normalized/quarantine/<batch_id>``: a batch set aside, and why."""

    root: Path

    @property
    def partition(self) -> Path:
        """The batch's normalized tables, as they were when the check refused them."""
        return self.root / "partition"

    @property
    def report_json(self) -> Path:
        return self.root / "report.json"

    @property
    def report_md(self) -> Path:
        return self.root / "report.md"


@dataclass(frozen=True)
class NormalizedLayout:
    """``<home>/normalized``: the Polars layer dbt reads, a partition folder per batch."""

    root: Path

    @property
    def batches_dir(self) -> Path:
        return self.root / "batches"

    @property
    def entities_dir(self) -> Path:
        return self.root / "entities"

    @property
    def staging_dir(self) -> Path:
        """Partitions being written; renamed into place whole."""
        return self.root / ".staging"

    @property
    def format_file(self) -> Path:
        """Fingerprint of the code that wrote the partitions."""
        return self.root / "FORMAT"

    def reference_file(self, name: str) -> Path:
        return self.root / f"{name}.parquet"

    @property
    def quarantine_dir(self) -> Path:
        """Batches a blocking check set aside: their partitions and reports, one folder each."""
        return self.root / "quarantine"

    def quarantined(self, batch_id: str) -> QuarantinedBatchLayout:
        return QuarantinedBatchLayout(self.quarantine_dir / batch_id)

    @property
    def released_file(self) -> Path:
        """Batches a user released from quarantine: they build although their checks fail."""
        return self.root / "released.json"


@dataclass(frozen=True)
class FailedBuildLayout:
    """``<home>/warehouse/failed/<stamp>``: a candidate that failed its audit, and why."""

    root: Path

    @property
    def candidate(self) -> Path:
        return self.root / "candidate.duckdb"

    @property
    def report_json(self) -> Path:
        return self.root / "report.json"

    @property
    def report_md(self) -> Path:
        return self.root / "report.md"


@dataclass(frozen=True)
class WarehouseLayout:
    """``<home>/warehouse``: the published DuckDB file, the candidate, versions, failures."""

    root: Path

    @property
    def published(self) -> Path:
        """What users query. Replaced whole by a rename, never written in place."""
        return self.root / "tgwh.duckdb"

    @property
    def candidate(self) -> Path:
        """Where a run builds and audits the next warehouse before publishing it."""
        return self.root / "candidate.duckdb"

    @property
    def candidate_wal(self) -> Path:
        return self.root / "candidate.duckdb.wal"

    @property
    def versions_dir(self) -> Path:
        return self.root / "versions"

    def version_file(self, stamp: str) -> Path:
        return self.versions_dir / f"{stamp}.duckdb"

    @property
    def failed_dir(self) -> Path:
        return self.root / "failed"

    def failed_build(self, stamp: str) -> FailedBuildLayout:
        return FailedBuildLayout(self.failed_dir / stamp)

    @property
    def rolled_back_dir(self) -> Path:
        return self.root / "rolled_back"


@dataclass(frozen=True)
class ScrapeLayout:
    """``<home>/scrape``: fetched pages, refused pages kept as evidence, crawl state."""

    root: Path

    def pages_dir(self, channel_key: str) -> Path:
        return self.root / "pages" / channel_key

    def evidence_dir(self, channel_key: str) -> Path:
        return self.root / "evidence" / channel_key

    def state_file(self, channel_key: str) -> Path:
        return self.root / "state" / f"{channel_key}.json"

    @property
    def locks_dir(self) -> Path:
        return self.root / "locks"


@dataclass(frozen=True)
class LogsLayout:
    """``<home>/logs``: what a run printed that the terminal does not show."""

    root: Path

    @property
    def last_run(self) -> Path:
        return self.root / "last_run.log"


@dataclass(frozen=True)
class BenchLayout:
    """``<home>/bench``: benchmark figures and the generated inputs they reuse."""

    root: Path

    @property
    def latest(self) -> Path:
        return self.root / "latest.json"

    @property
    def log(self) -> Path:
        return self.root / "last_bench.log"

    def run_figures(self, stamp: str) -> Path:
        return self.root / f"bench-{stamp}.json"

    def inputs_dir(self, name: str) -> Path:
        return self.root / "inputs" / name

    def scratch_home(self, stamp: str) -> Path:
        return self.root / "homes" / stamp


@dataclass(frozen=True)
class SearchGenerationLayout:
    """``<home>/search/generations/<name>``: one complete full-text index, never changed once
    readers can see it."""

    root: Path

    @property
    def name(self) -> str:
        return self.root.name

    @property
    def state_file(self) -> Path:
        """What the index holds: the warehouse batches, the code that shaped them, its schema."""
        return self.root / "tgwh-index.json"


@dataclass(frozen=True)
class SearchLayout:
    """``<home>/search``: the full-text index of the posts, in generations, and saved searches.

    A build writes a new generation beside the published one and then points ``CURRENT`` at
    it with one atomic rename, so readers never wait for a build and never see half of one.
    """

    root: Path

    @property
    def current_file(self) -> Path:
        """The name of the generation searches open."""
        return self.root / "CURRENT"

    @property
    def generations_dir(self) -> Path:
        return self.root / "generations"

    def generation(self, name: str) -> SearchGenerationLayout:
        return SearchGenerationLayout(self.generations_dir / name)

    @property
    def saved_searches(self) -> Path:
        """The saved searches (name -> query and filters)."""
        return self.root / "saved_searches.json"

    @property
    def last_evaluation(self) -> Path:
        """The saved searches' new hits after the last publish, and the batches they covered."""
        return self.root / "saved_searches.last.json"


@dataclass(frozen=True)
class ReportLayout:
    """The report page of the published warehouse (charts, for people) and the history of
    check results over runs that one of its charts reads."""

    docs: Path
    root: Path

    @property
    def page(self) -> Path:
        """One HTML file that opens offline: its charts are embedded images."""
        return self.docs / "report.html"

    @property
    def check_history(self) -> Path:
        """Each run's check results (evaluated, passed, failed), gathered after each publish."""
        return self.root / "check_history.json"


@dataclass(frozen=True)
class DocsLayout:
    """``<home>/docs``: the documentation sites, readable offline.

    Great Expectations writes its Data Docs at the root (``index.html``, ``expectations/``,
    ``validations/``, ``static/``); the CSS, scripts and fonts they would load from CDNs are
    copied into ``static/vendor/``; ``tgwh docs`` adds the dbt docs in ``dbt/`` and a start page
    linking both.
    """

    root: Path

    @property
    def data_docs_index(self) -> Path:
        return self.root / "index.html"

    @property
    def static_dir(self) -> Path:
        """GX copies its own images, styles and fonts here."""
        return self.root / "static"

    @property
    def images_dir(self) -> Path:
        return self.static_dir / "images"

    @property
    def vendor_dir(self) -> Path:
        """Bootstrap, jQuery, Font Awesome: what the pages would otherwise fetch from CDNs."""
        return self.static_dir / "vendor"

    @property
    def dbt_dir(self) -> Path:
        return self.root / "dbt"

    @property
    def dbt_index(self) -> Path:
        """dbt's docs site, one self-contained page (`dbt docs generate --static`)."""
        return self.dbt_dir / "index.html"

    @property
    def start_page(self) -> Path:
        """Links to both sites."""
        return self.root / "start.html"


@dataclass(frozen=True)
class LockLayout:
    """The writer lock of the home: one run writes at a time."""

    root: Path

    @property
    def lock_file(self) -> Path:
        return self.root / "writer.lock"

    @property
    def holder_file(self) -> Path:
        """Who holds the lock, for the message a waiting run prints."""
        return self.root / "writer.lock.json"


@dataclass(frozen=True)
class Home:
    root: Path

    @classmethod
    def from_env(cls) -> Home:
        return settings().home

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def raw(self) -> RawLayout:
        return RawLayout(self.root / "raw")

    @property
    def normalized(self) -> NormalizedLayout:
        return NormalizedLayout(self.root / "normalized")

    @property
    def warehouse(self) -> WarehouseLayout:
        return WarehouseLayout(self.root / "warehouse")

    @property
    def scrape(self) -> ScrapeLayout:
        return ScrapeLayout(self.root / "scrape")

    @property
    def logs(self) -> LogsLayout:
        return LogsLayout(self.root / "logs")

    @property
    def bench(self) -> BenchLayout:
        return BenchLayout(self.root / "bench")

    @property
    def search(self) -> SearchLayout:
        return SearchLayout(self.root / "search")

    @property
    def report(self) -> ReportLayout:
        return ReportLayout(self.data_docs, self.root / "report")

    @property
    def lock(self) -> LockLayout:
        return LockLayout(self.root)

    @property
    def channels_file(self) -> Path:
        """The followed channels, one username per line."""
        return self.root / "channels.txt"

    @property
    def cache_dir(self) -> Path:
        """Tables derived from the code and its reference data, kept to save the next run the
        time to derive them (deleted, they are derived again)."""
        return self.root / "cache"

    @property
    def file_digests(self) -> Path:
        """The digests of the source files hashed before (ingest/sources.KnownDigests)."""
        return self.cache_dir / "file_digests.parquet"

    def entity_table(self, name: str, fingerprint: str) -> Path:
        """A table the entity matcher derives from the reference data (its pattern table...),
        as the code with this fingerprint derives it."""
        return self.cache_dir / f"entity_{name}-{fingerprint}.parquet"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster"

    @property
    def dagster_event_logs(self) -> Path:
        return self.dagster_event_logs_of(self.dagster_home)

    @staticmethod
    def dagster_event_logs_of(dagster_home: Path) -> Path:
        """Dagster's event log: one SQLite file per run and the index (Dagster's own layout)."""
        return dagster_home / "history" / "runs"

    @property
    def dagster_yaml(self) -> Path:
        """The Dagster instance's settings (run queue, telemetry)."""
        return self.dagster_home / "dagster.yaml"

    @property
    def dagster_nux_seen(self) -> Path:
        """Dagster shows a "join the community" dialog until this file exists (dagster/_core/
        nux.py): a warehouse's UI opens on the warehouse."""
        return self.dagster_home / ".nux" / "nux.yaml"

    @property
    def data_docs(self) -> Path:
        return self.docs.root

    @property
    def docs(self) -> DocsLayout:
        return DocsLayout(self.root / "docs")

    @property
    def dbt_target(self) -> Path:
        return self.root / "dbt" / "target"

    @property
    def dbt_manifest(self) -> Path:
        """dbt's manifest of the last build: the docs of every model and column."""
        return self.dbt_target / "manifest.json"

    @property
    def dbt_manifest_source(self) -> Path:
        """The digest of the dbt project the manifest was parsed from (stale when it differs)."""
        return self.dbt_target / "manifest.project-digest"

    @property
    def dbt_logs(self) -> Path:
        return self.root / "dbt" / "logs"

    @property
    def dbt_docs_target(self) -> Path:
        """Where `dbt docs generate` writes (its manifest and catalog of the published
        warehouse), apart from the build's target that Dagster reads."""
        return self.root / "dbt" / "docs_target"

    @property
    def dbt_docs_static_page(self) -> Path:
        """The one-page site `dbt docs generate --static` writes there (dbt names it)."""
        return self.dbt_docs_target / "static_index.html"

    def ensure(self) -> Home:
        for folder in (
            self.inbox,
            self.raw.root,
            self.normalized.root,
            self.warehouse.root,
            self.dagster_home,
        ):
            folder.mkdir(parents=True, exist_ok=True)
        return self


# --- environment variables -----------------------------------------------------------------


def _text(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def _number(name: str, default: float, kind: type = float, what: str = "a number") -> float:
    value = _text(name)
    if value is None:
        return default
    try:
        return kind(value)
    except ValueError:
        raise ValueError(f"{name} must be {what}, got {value!r}") from None


DEFAULT_MAX_FILE_BYTES = 4 << 30  # 4 GiB
_BYTE_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def _bytes(name: str, default: int) -> int:
    """A size: "4294967296", "4G", "512M" (binary units; a trailing B or iB is allowed)."""
    value = _text(name)
    if value is None:
        return default
    number = value.upper().removesuffix("IB").removesuffix("B").strip()
    unit = number[-1:] if number[-1:] in _BYTE_UNITS else ""
    digits = number.removesuffix(unit).strip()
    if not digits.isdigit() or int(digits) == 0:
        raise ValueError(f"{name} must be a positive size in bytes (e.g. 4G), got {value!r}")
    return int(digits) * _BYTE_UNITS[unit]


@dataclass(frozen=True)
class ScrapeEnvironment:
    """The scraper's knobs as the environment sets them (None: the scraper's default)."""

    base_url: str | None = None  # TGWH_TELEGRAM_BASE_URL: a mirror or a test server
    contact: str | None = None  # TGWH_CONTACT: how to reach the operator, in the User-Agent
    user_agent: str | None = None  # TGWH_USER_AGENT: replaces the whole User-Agent
    delay_seconds: float = 1.0  # TGWH_SCRAPE_DELAY
    timeout_seconds: float = 30.0  # TGWH_SCRAPE_TIMEOUT
    max_attempts: int = 5  # TGWH_SCRAPE_MAX_ATTEMPTS
    max_wait_seconds: float = 120.0  # TGWH_SCRAPE_MAX_WAIT
    request_deadline_seconds: float = 60.0  # TGWH_SCRAPE_REQUEST_DEADLINE: one request, whole
    max_page_bytes: int = 8 * 1024 * 1024  # TGWH_SCRAPE_MAX_PAGE_BYTES: one page, decompressed
    max_pages: int = 1000  # TGWH_SCRAPE_MAX_PAGES: pages per channel per run (the budget)
    crawl_deadline_seconds: float = 3600.0  # TGWH_SCRAPE_CRAWL_DEADLINE: one channel's run
    # Pages landed together as one raw batch: at most this many (TGWH_SCRAPE_LAND_PAGES), and
    # at least this often (TGWH_SCRAPE_LAND_SECONDS), what a killed crawl fetches again.
    land_pages: int = 250
    land_seconds: float = 300.0


@dataclass(frozen=True)
class Settings:
    home: Home
    # How long a run waits for another run writing the same home (TGWH_LOCK_WAIT_SECONDS).
    lock_wait_seconds: float = 600
    # The Great Expectations suites: the bundled ones, or a folder of your own
    # (TGWH_EXPECTATIONS_DIR; stricter suites, say).
    expectations_dir: Path = BUNDLED_EXPECTATIONS_DIR
    # When the followed channels are scraped (TGWH_SCRAPE_SCHEDULE, cron; daily 05:00 UTC).
    scrape_schedule: str = "0 5 * * *"
    # How old the published warehouse and each followed channel's last scrape may be before
    # the UI shows them stale (TGWH_STALE_AFTER_HOURS; the scrape schedule is daily).
    stale_after_hours: float = 30
    # DuckDB's memory cap inside dbt builds (TGWH_DUCKDB_MEMORY_LIMIT); it spills beyond.
    duckdb_memory_limit: str = "2GB"
    # Bounds of one `tgwh query`: seconds (TGWH_QUERY_TIMEOUT, 0 for none) and DuckDB's memory
    # (TGWH_QUERY_MEMORY_LIMIT, a size such as 4GB; unset: half the RAM).
    query_timeout_seconds: float = 300
    query_memory_limit: str | None = None
    # The largest source file a run reads (TGWH_MAX_FILE_BYTES: bytes, or with K/M/G/T, binary
    # units). Generous: a channel's whole Desktop export can weigh gigabytes; the limit is there
    # so that a wrong path (a disk image, a dump) is refused by name instead of read whole.
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    scrape: ScrapeEnvironment = field(default_factory=ScrapeEnvironment)


def settings() -> Settings:
    """The configuration as the environment sets it now."""
    root = _text("TGWH_HOME") or str(Path.cwd() / DEFAULT_HOME_NAME)
    return Settings(
        home=Home(Path(root).expanduser().resolve()),
        lock_wait_seconds=_number("TGWH_LOCK_WAIT_SECONDS", 600, what="a number of seconds"),
        expectations_dir=Path(_text("TGWH_EXPECTATIONS_DIR") or BUNDLED_EXPECTATIONS_DIR),
        scrape_schedule=_text("TGWH_SCRAPE_SCHEDULE") or "0 5 * * *",
        duckdb_memory_limit=_text("TGWH_DUCKDB_MEMORY_LIMIT") or "2GB",
        stale_after_hours=_number("TGWH_STALE_AFTER_HOURS", 30, what="a number of hours"),
        query_timeout_seconds=_number("TGWH_QUERY_TIMEOUT", 300, what="a number of seconds"),
        query_memory_limit=_text("TGWH_QUERY_MEMORY_LIMIT"),
        max_file_bytes=max_file_bytes(),
        scrape=ScrapeEnvironment(
            base_url=_text("TGWH_TELEGRAM_BASE_URL"),
            contact=_text("TGWH_CONTACT"),
            user_agent=_text("TGWH_USER_AGENT"),
            delay_seconds=_number("TGWH_SCRAPE_DELAY", 1.0, what="a number of seconds"),
            timeout_seconds=_number("TGWH_SCRAPE_TIMEOUT", 30.0, what="a number of seconds"),
            max_attempts=int(
                _number("TGWH_SCRAPE_MAX_ATTEMPTS", 5, kind=int, what="a whole number")
            ),
            max_wait_seconds=_number("TGWH_SCRAPE_MAX_WAIT", 120.0, what="a number of seconds"),
            request_deadline_seconds=_number(
                "TGWH_SCRAPE_REQUEST_DEADLINE", 60.0, what="a number of seconds"
            ),
            max_page_bytes=int(
                _number(
                    "TGWH_SCRAPE_MAX_PAGE_BYTES", 8 * 1024 * 1024, kind=int, what="a whole number"
                )
            ),
            max_pages=int(_number("TGWH_SCRAPE_MAX_PAGES", 1000, kind=int, what="a whole number")),
            crawl_deadline_seconds=_number(
                "TGWH_SCRAPE_CRAWL_DEADLINE", 3600.0, what="a number of seconds"
            ),
            land_pages=int(_number("TGWH_SCRAPE_LAND_PAGES", 250, kind=int, what="a whole number")),
            land_seconds=_number("TGWH_SCRAPE_LAND_SECONDS", 300.0, what="a number of seconds"),
        ),
    )


def max_file_bytes() -> int:
    """TGWH_MAX_FILE_BYTES alone: read per parsed file, where all of settings() costs more."""
    return _bytes("TGWH_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES)


def validation_worker_setting() -> bool:
    """TGWH_VALIDATION_WORKER=off: run the suites in the run's own process, not in a worker
    process (validate/worker.py): for a process that has imported Great Expectations already,
    such as a fork of one that did, or a machine with one core."""
    return os.environ.get("TGWH_VALIDATION_WORKER", "on").strip().lower() not in {"off", "0"}


def warm_dbt_setting() -> bool:
    """TGWH_WARM_DBT=off: start dbt afresh at each invocation rather than hand the run's build
    to a dbt process that imported dbt while the run landed its data (warehouse/warm_dbt.py)."""
    return os.environ.get("TGWH_WARM_DBT", "on").strip().lower() not in {"off", "0"}


# Where the run's warm dbt listens, for the `tgwh-dbt` that dagster-dbt starts (set by the run)
WARM_DBT_SOCKET = "TGWH_WARM_DBT_SOCKET"


def warm_dbt_socket() -> str | None:
    return os.environ.get(WARM_DBT_SOCKET) or None


def name_warm_dbt_socket(path: str) -> None:
    """Name the warm dbt's socket for the processes this one starts from now on."""
    os.environ[WARM_DBT_SOCKET] = path


def forget_warm_dbt_socket(path: str | None = None) -> None:
    """Stop naming a warm dbt's socket (only ``path``'s, when given)."""
    if path is None or os.environ.get(WARM_DBT_SOCKET) == path:
        os.environ.pop(WARM_DBT_SOCKET, None)


def environment_snapshot() -> dict[str, str]:
    """This process's whole environment, for a process that is to run as this one would."""
    return dict(os.environ)


def adopt_environment(environment: dict[str, str]) -> None:
    """Make this process's environment exactly ``environment`` (the warm dbt becoming the
    `tgwh-dbt` it serves)."""
    os.environ.clear()
    os.environ.update(environment)


def python_unbuffered() -> bool:
    """PYTHONUNBUFFERED, as Python itself reads it at start-up."""
    return bool(os.environ.get("PYTHONUNBUFFERED"))


def failpoint_setting() -> str | None:
    """TGWH_FAILPOINT: where a crash test wants this process killed (see common.failpoints)."""
    return os.environ.get("TGWH_FAILPOINT") or None


def use_home(home: Home) -> None:
    """Point TGWH_HOME and DAGSTER_HOME at ``home`` for this process and the ones it starts
    (Dagster reads DAGSTER_HOME; the dbt profile and sources read TGWH_HOME)."""
    os.environ["TGWH_HOME"] = str(home.root)
    os.environ["DAGSTER_HOME"] = str(home.dagster_home)


def dbt_environment(home: Home) -> dict[str, str]:
    """Variables the dbt profile and sources read; dbt's logs and artifacts go to the home.

    dbt runs inside the home (DBT_IN_HOME), and the warehouse it builds is named relative to
    it: dbt keeps its parse between runs only while the profile's settings stay the same, and
    an absolute path would make a home that moved or was copied (a backup restored, a test's
    copy) parse the whole project again. The sources keep absolute paths (TGWH_HOME): the
    staging views read the Parquet through them, whoever queries them from wherever; a change
    there costs dbt the parse of one schema file.
    PATH gains this environment's bin folder: dagster-dbt runs ``dbt`` by name, and users run
    ``.venv/bin/tgwh`` without activating the environment.
    """
    bin_dir = str(Path(sys.executable).parent)
    return {
        "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")]),
        "TGWH_HOME": str(home.root),
        "TGWH_WAREHOUSE": str(home.warehouse.candidate.relative_to(home.root)),
        "TGWH_DUCKDB_MEMORY_LIMIT": settings().duckdb_memory_limit,
        "TGWH_DUCKDB_ACCESS_MODE": "automatic",
        "DBT_LOG_PATH": str(home.dbt_logs),
        "DBT_TARGET_PATH": str(home.dbt_target),
    }


def dbt_docs_environment(home: Home) -> dict[str, str]:
    """dbt's variables for `dbt docs generate`: the published warehouse itself, opened
    read-only (readers are never blocked, nothing in it can change), artifacts apart."""
    return dbt_environment(home) | {
        "TGWH_WAREHOUSE": str(home.warehouse.published.relative_to(home.root)),
        "TGWH_DUCKDB_ACCESS_MODE": "read_only",
        "DBT_TARGET_PATH": str(home.dbt_docs_target),
    }


def child_environment(**overrides: str | None) -> dict[str, str]:
    """This process's environment for a child process, with variables set (or, None, unset)."""
    environment = dict(os.environ)
    for name, value in overrides.items():
        environment.pop(name, None)
        if value is not None:
            environment[name] = value
    return environment


def tgwh_variables() -> dict[str, str]:
    """The TGWH_* variables as this process has them now, for a long-lived child process to
    adopt before each piece of work it does for this one (validate/worker.py)."""
    return {name: value for name, value in os.environ.items() if name.startswith("TGWH_")}


def adopt_tgwh_variables(variables: dict[str, str]) -> None:
    """Make this process's TGWH_* variables exactly ``variables`` (see tgwh_variables)."""
    for name in [name for name in os.environ if name.startswith("TGWH_")]:
        if name not in variables:
            del os.environ[name]
    os.environ.update(variables)


# dbt of this environment, and the command that starts it inside the home named by TGWH_HOME
# (app/dbt_in_home.py).
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")
DBT_IN_HOME = Path(sys.executable).with_name("tgwh-dbt")


def enter_home_for_dbt() -> Path:
    """Make the home named by TGWH_HOME this process's working directory (the profile names the
    warehouse relative to it); dbt's executable, to be started there."""
    os.chdir(Home.from_env().root)
    return DBT_EXECUTABLE


def apply_dbt_environment(home: Home) -> None:
    """dagster-dbt starts dbt with this process's environment: set it here."""
    os.environ.update(dbt_environment(home))
