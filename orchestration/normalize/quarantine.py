"""Batches set aside: one bad file never blocks the rest of the warehouse.

When a blocking check on the normalized posts fails, the batches whose rows failed it are
moved out of the normalized layer into ``normalized/quarantine/<batch>/`` with a report; the
other batches go on to entities, dbt and publishing. A quarantined batch is not normalized
again on later runs (its raw files stay), until the user decides:

- release: the batch goes back into the layer and builds on the next run; its checks still run
  and report, but no longer set it aside;
- remove (``tgwh batches remove``, in the raw store): the batch is gone, with a line in the audit.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime

from orchestration.common.durable import fsync_dir, write_text_atomic
from orchestration.config import NormalizedLayout


@dataclass(frozen=True)
class QuarantineReport:
    batch_id: str
    source_files: list[str]
    reasons: list[dict]  # {expectation, column, failing_rows, rows, examples: [{post_key, value}]}
    run_id: str | None = None
    quarantined_at: str = ""

    def markdown(self, layout: NormalizedLayout) -> str:
        lines = [
            f"# Batch {self.batch_id} set aside",
            "",
            f"Files: {', '.join(self.source_files) or '(none)'}",
            f"Run: {self.run_id or '-'}, at {self.quarantined_at}",
            "",
            "The other batches of the run were built and published; this one waits for you:",
            "",
            f"    tgwh batches release {self.batch_id[:12]}   # build it anyway, on the next run",
            f"    tgwh batches remove {self.batch_id[:12]}    # drop it (the audit keeps a line)",
            "",
            "Checks it failed:",
            "",
        ]
        for reason in self.reasons:
            column = f" on {reason['column']}" if reason.get("column") else ""
            lines.append(
                f"- {reason['expectation']}{column}: {reason['failing_rows']} of "
                f"{reason['rows']} rows"
            )
            for example in reason.get("examples", []):
                lines.append(f"  - {example.get('post_key')}: {example.get('value')}")
        return "\n".join(lines) + "\n"


class Quarantine:
    def __init__(self, layout: NormalizedLayout):
        self.layout = layout

    def batches(self) -> set[str]:
        folder = self.layout.quarantine_dir
        return {p.name for p in folder.iterdir() if p.is_dir()} if folder.exists() else set()

    def released(self) -> set[str]:
        path = self.layout.released_file
        return set(json.loads(path.read_text())) if path.exists() else set()

    def report(self, batch_id: str) -> dict | None:
        path = self.layout.quarantined(batch_id).report_json
        return json.loads(path.read_text()) if path.exists() else None

    def set_aside(self, report: QuarantineReport) -> None:
        """Move the batch's normalized partition aside, with its report (json and markdown)."""
        kept = self.layout.quarantined(report.batch_id)
        kept.root.mkdir(parents=True, exist_ok=True)
        stamped = QuarantineReport(
            report.batch_id,
            report.source_files,
            report.reasons,
            report.run_id,
            report.quarantined_at or datetime.now(UTC).isoformat(timespec="seconds"),
        )
        write_text_atomic(kept.report_json, json.dumps(stamped.__dict__, indent=2, default=str))
        write_text_atomic(kept.report_md, stamped.markdown(self.layout))
        partition = self.layout.batches_dir / report.batch_id
        if partition.exists():
            shutil.rmtree(kept.partition, ignore_errors=True)
            os.replace(partition, kept.partition)
            fsync_dir(self.layout.batches_dir)

    def release(self, batch_id: str) -> None:
        """Back into the layer: it builds on the next run, and is no longer set aside."""
        kept = self.layout.quarantined(batch_id)
        write_text_atomic(
            self.layout.released_file, json.dumps(sorted(self.released() | {batch_id}))
        )
        if kept.partition.exists():
            self.layout.batches_dir.mkdir(parents=True, exist_ok=True)
            os.replace(kept.partition, self.layout.batches_dir / batch_id)
        shutil.rmtree(kept.root, ignore_errors=True)

    def forget(self, batch_id: str) -> None:
        """The batch was removed: no partition, no report, no release left behind."""
        shutil.rmtree(self.layout.quarantined(batch_id).root, ignore_errors=True)
        if batch_id in self.released():
            write_text_atomic(
                self.layout.released_file, json.dumps(sorted(self.released() - {batch_id}))
            )

    def clear_partitions(self) -> None:
        """The normalization code changed: every batch, set aside or not, is normalized (and
        checked) again; releases stand."""
        shutil.rmtree(self.layout.quarantine_dir, ignore_errors=True)
