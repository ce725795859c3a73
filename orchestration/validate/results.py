"""What a suite run found, as plain data the orchestrator turns into asset checks and reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OBSERVED_MAX_CHARS = 160


@dataclass
class ExpectationResult:
    expectation: str  # GX expectation type, e.g. "expect_column_values_to_be_unique"
    column: str | None
    critical: bool
    success: bool
    observed: str  # short: "unexpected_count=2 of 10, e.g. ['a/1']" or "observed_value=12"
    why: str
    failing_rows: int | None = None  # rows that broke a column expectation, when it says
    rows: int | None = None  # rows it looked at
    mostly: float | None = None  # the share of rows that must pass, when not all
    # The failing rows' identifying columns and value (suites run with row identifiers only).
    unexpected: list[dict] = field(default_factory=list)


@dataclass
class SuiteResult:
    suite: str
    success: bool  # every expectation passed
    critical_success: bool  # every critical expectation passed
    results: list[ExpectationResult] = field(default_factory=list)

    def failed(self) -> list[ExpectationResult]:
        return [result for result in self.results if not result.success]

    def summary(self) -> str:
        """One line for logs and asset-check descriptions."""
        failed = self.failed()
        if not failed:
            return f"{self.suite}: all {len(self.results)} expectations passed"
        parts = [
            f"{'CRITICAL ' if r.critical else ''}{r.expectation}({r.column or ''}): {r.observed}"
            for r in failed
        ]
        return f"{self.suite}: {len(failed)}/{len(self.results)} failed: " + "; ".join(parts)


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= OBSERVED_MAX_CHARS else text[: OBSERVED_MAX_CHARS - 3] + "..."


def _observed(result: Any) -> str:
    exception = result.exception_info or {}
    # exception_info is either flat ({"raised_exception": ...}) or keyed by metric id.
    messages = (
        [exception.get("exception_message")]
        if "raised_exception" in exception
        else [
            info.get("exception_message") for info in exception.values() if isinstance(info, dict)
        ]
    )
    messages = [message for message in messages if message]
    if messages:
        return _short(f"error: {messages[0]}")
    details = result.result or {}
    if details.get("unexpected_count") is not None:
        text = f"unexpected_count={details['unexpected_count']} of {details.get('element_count')}"
        examples = details.get("partial_unexpected_list") or []
        if details["unexpected_count"] and examples:
            text += f", e.g. {[str(example) for example in examples[:3]]}"
        return _short(text)
    if "observed_value" in details:
        return _short(f"observed_value={details['observed_value']}")
    return ""


def _plain(value: Any) -> Any:
    """numpy and pandas scalars as plain Python values (reports are JSON)."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _column_of(kwargs: dict) -> str | None:
    if kwargs.get("column"):
        return kwargs["column"]
    if kwargs.get("column_list"):
        return ",".join(kwargs["column_list"])
    if kwargs.get("column_A"):
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    return None


def suite_result(name: str, validation: Any) -> SuiteResult:
    results = []
    for result in validation.results:
        config = result.expectation_config
        meta = config.meta or {}
        details = result.result or {}
        results.append(
            ExpectationResult(
                expectation=config.type,
                column=_column_of(config.kwargs),
                critical=bool(meta.get("critical", True)),
                success=bool(result.success),
                observed=_observed(result),
                why=meta.get("why", ""),
                failing_rows=details.get("unexpected_count"),
                rows=details.get("element_count"),
                mostly=config.kwargs.get("mostly"),
                unexpected=[
                    {key: _plain(value) for key, value in row.items()}
                    for row in details.get("unexpected_index_list") or []
                    if isinstance(row, dict)
                ],
            )
        )
    return SuiteResult(
        suite=name,
        success=all(result.success for result in results),
        critical_success=all(result.success for result in results if result.critical),
        results=results,
    )
