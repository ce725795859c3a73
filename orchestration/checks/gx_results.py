"""Turn a Great Expectations suite result into a Dagster asset check result."""

import dagster as dg

from orchestration.validation import SuiteResult


def check_result(suite: SuiteResult, **key) -> dg.AssetCheckResult:
    """Critical failures are errors (and block downstream assets); the rest are warnings."""
    failed = suite.failed()
    return dg.AssetCheckResult(
        passed=suite.success,
        severity=dg.AssetCheckSeverity.ERROR
        if not suite.critical_success
        else dg.AssetCheckSeverity.WARN,
        metadata={
            "expectations": len(suite.results),
            "failed": len(failed),
            "failed_critical": sum(r.critical for r in failed),
            "results": dg.MetadataValue.md(
                "| expectation | column | critical | passed | observed |\n"
                "|---|---|---|---|---|\n"
                + "\n".join(
                    f"| {r.expectation} | {r.column or ''} | {r.critical} | {r.success} "
                    f"| {str(r.observed).replace('|', '/')[:120]} |"
                    for r in suite.results
                )
            ),
        },
        **key,
    )
