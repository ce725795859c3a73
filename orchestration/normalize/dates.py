"""The date a post names ("(May 10, 2025)", "10 мая 2025"...): its event date."""

from __future__ import annotations

import polars as pl

from orchestration.normalize.columns import alternation, compute_where


def _numbered(months: str) -> dict[str, int]:
    return {name: number for number, name in enumerate(months.split(), start=1)}


_ENGLISH_MONTHS = {
    **_numbered(
        "january february march april may june july august september october november december"
    ),
    **_numbered("jan feb mar apr may jun jul aug sep oct nov dec"),
    "sept": 9,
}
_MONTHS = {
    **_ENGLISH_MONTHS,
    # Russian and Ukrainian genitive ("10 мая 2025", "10 травня 2025")
    **_numbered(
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
    ),
    **_numbered(
        "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня"
    ),
    # Spanish ("10 de mayo de 2025")
    **_numbered(
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
    ),
    "setiembre": 9,
    # French ("10 mai 2025", "1er mai 2025")
    **_numbered(
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    ),
    "fevrier": 2,
    "aout": 8,
    "decembre": 12,
    # German ("10. Mai 2025")
    **_numbered(
        "januar februar märz april mai juni juli august september oktober november dezember"
    ),
    "jänner": 1,
    "maerz": 3,
    # Portuguese ("10 de maio de 2025")
    **_numbered(
        "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro"
    ),
    "marco": 3,
}
_YEAR = r"(?:19|20)\d{2}"
_DAY_RANGE = r"(?:\s*[-–—]\s*\d{1,2})?"  # "May 10-11, 2025" and "10–11 May 2025" take the 1st
_DATE_RE = (
    r"(?i)"
    # May 10, 2025 / Sept. 3rd 2025
    rf"(?-u:\b)(?P<m1>{alternation(_ENGLISH_MONTHS)})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"{_DAY_RANGE},?\s+(?P<y1>{_YEAR})(?-u:\b)"
    # 10 May 2025 / 10 мая 2025 / 10 de mayo de 2025 / 1er mai 2025 / 10. Mai 2025
    rf"|(?-u:\b)(?P<d2>\d{{1,2}})(?:st|nd|rd|th|er|-?го|[º°.])?{_DAY_RANGE}\s+(?:de\s+)?"
    rf"(?P<m2>{alternation(_MONTHS)})\.?,?\s+(?:del?\s+)?(?P<y2>{_YEAR})(?-u:\b)"
    # 2023年5月12日 (Chinese, Japanese) / 2025년 5월 10일 (Korean)
    rf"|(?P<y3>{_YEAR})\s*年\s*(?P<m3>\d{{1,2}})\s*月\s*(?P<d3>\d{{1,2}})\s*[日号]"
    rf"|(?P<y4>{_YEAR})\s*년\s*(?P<m4>\d{{1,2}})\s*월\s*(?P<d4>\d{{1,2}})\s*일"
    # 10.05.2025 (day first, as written in Russian, German, French...) / 2025-05-10
    rf"|(?-u:\b)(?P<d5>\d{{1,2}})\.(?P<m5>\d{{1,2}})\.(?P<y5>{_YEAR})(?-u:\b)"
    rf"|(?-u:\b)(?P<y6>{_YEAR})-(?P<m6>\d{{2}})-(?P<d6>\d{{2}})(?-u:\b)"
)


def _first_date(text: pl.Series) -> pl.Series:
    parts = text.str.extract_groups(_DATE_RE).struct.unnest()
    named_month = (
        pl.coalesce("m1", "m2")
        .str.to_lowercase()
        .replace_strict(_MONTHS, default=None, return_dtype=pl.Int32)
    )
    month = pl.coalesce(named_month, *(pl.col(f"m{i}").cast(pl.Int32) for i in range(3, 7)))
    day = pl.coalesce(*(pl.col(f"d{i}").cast(pl.Int32) for i in range(1, 7)))
    year = pl.coalesce(*(pl.col(f"y{i}") for i in range(1, 7)))
    iso = pl.concat_str(
        year,
        pl.lit("-"),
        month.cast(pl.String).str.zfill(2),
        pl.lit("-"),
        day.cast(pl.String).str.zfill(2),
    )
    # strict=False: an impossible date ("February 30, 2025") gives null rather than an error.
    return parts.select(iso.str.to_date("%Y-%m-%d", strict=False)).to_series()


def event_dates(text: pl.Series) -> pl.Series:
    """The first date the text names, else null.

    Forms: "May 10, 2025", "10 May 2025", "10 мая 2025", "10 травня 2025", "10 de mayo de
    2025", "1er mai 2025", "10. Mai 2025", "10 de maio de 2025", "2023年5月12日", "2025년 5월
    10일", "10.05.2025" (day first), "2025-05-10". Only texts holding a plausible year (a
    cheap prefiltered test) pay for the full pattern.
    """
    return compute_where(text, text.str.contains(_YEAR), _first_date, pl.Date).alias("event_date")
