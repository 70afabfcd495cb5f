"""Build the quarterly export's tables and write them as CSV (UTF-8 with BOM) or XLSX.

Same data, same bytes: XLSX timestamps are pinned to the quarter's end. Text that a spreadsheet
would run as a formula (= + - @, tab, carriage return) is neutralised: with a leading apostrophe
in CSV, as a quote-prefixed text cell in XLSX (the text itself unchanged).
"""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from marketplace.services.quarterly import STAGES, SectorFigures
from models import Sector

SUMMARY_HEADERS = [
    "產業別 Sector", "本季出題數 Problems posted in quarter", "累計出題數 Problems posted (cumulative)",
    "已刊登 Published", "已媒合 Matched", "執行中 In progress", "已交付 Delivered",
    "本季驗證解決方案 Verified in quarter", "累計驗證解決方案 Verified (cumulative)",
    "出題目標 Problem target", "出題達成率 Share of problem target",
    "解決方案目標 Solution target", "解決方案達成率 Share of solution target",
]
SOLUTION_HEADERS = ["問題 Problem", "出題企業 Company", "解題團隊 Team", "產業別 Sector",
                    "驗證時間（臺灣） Verified at (Taiwan time)"]
HISTORY_HEADERS = ["季度 Quarter", "本季出題數 Problems posted in quarter", "累計出題數 Problems posted (cumulative)",
                   "本季驗證 Verified in quarter", "累計驗證 Verified (cumulative)",
                   "解決方案目標 Solution target", "達成率 Share of solution target"]
RISKY = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """A CSV field: text a spreadsheet would evaluate gets an apostrophe, shares read 12.5%."""
    if isinstance(value, Share):
        return f"{100 * value:.1f}%"
    if isinstance(value, str) and value.startswith(RISKY):
        return "'" + value
    return value


class Share(float):
    """A fraction shown as a percentage: a number in XLSX, "12.5%" in CSV."""


def share(part: int, whole: int) -> Share | str:
    return Share(part / whole) if whole else ""


def _put(sheet, row: int, column: int, value) -> None:
    """One XLSX cell. Text is always text: one that starts like a formula is stored as a string
    cell marked quotePrefix, as Excel marks a text typed after an apostrophe (shown without it,
    never evaluated, still text when edited)."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    cell.value = float(value) if isinstance(value, Share) else value
    if isinstance(value, Share):
        cell.number_format = "0.0%"
    elif isinstance(value, str) and value.startswith(RISKY):
        cell.data_type = "s"
        cell.quotePrefix = True


def summary_rows(figures: list[SectorFigures], per_sector: int, goal: int) -> list[list]:
    """One row per sector and a total row."""
    rows = []
    for f in figures:
        sector = Sector(f.sector)
        rows.append([f"{sector.label('zh_TW')} {sector.label('en')}", f.posted_in_quarter, f.posted_total,
                     *(f.stages[s] for s in STAGES), f.verified_in_quarter, f.verified_total,
                     per_sector, share(f.posted_total, per_sector), "", ""])
    total = [sum(col) for col in zip(*[r[1:9] for r in rows], strict=True)]
    target = per_sector * len(figures)
    rows.append(["合計 Total", *total, target, share(total[1], target), goal, share(total[7], goal)])
    return rows


def write_csv(summary: list[list]) -> bytes:
    """The summary as CSV in UTF-8 with a BOM, so spreadsheet programs read the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SUMMARY_HEADERS)
    writer.writerows([[safe(v) for v in row] for row in summary])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def write_xlsx(summary: list[list], solutions: list[tuple], history: list[list], title: str,
               fixed_time: datetime, note: str | None = None) -> bytes:
    """Three sheets: summary (with `note` under it), solutions verified in the quarter, history."""
    book = Workbook()
    sheets = [(book.active, "摘要 Summary", SUMMARY_HEADERS, summary),
              (book.create_sheet(), "本季驗證 Verified", SOLUTION_HEADERS, [list(s) for s in solutions]),
              (book.create_sheet(), "歷季 History", HISTORY_HEADERS, history)]
    for sheet, name, headers, rows in sheets:
        sheet.title = name
        sheet.append(headers)
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                _put(sheet, r, c, value)
        for column, header in zip(sheet.columns, headers, strict=False):
            sheet.column_dimensions[column[0].column_letter].width = max(12, min(48, len(header) + 2))
    if note:
        book.active.cell(row=len(summary) + 3, column=1, value=note)
    book.properties.title = title
    book.properties.creator = "AI innovation matching platform"
    naive = fixed_time.astimezone(UTC).replace(tzinfo=None) if fixed_time.tzinfo else fixed_time
    book.properties.created = book.properties.modified = naive
    buffer = io.BytesIO()
    # Not book.save(): openpyxl's save stamps "modified" with the clock, so two files of the same
    # data differed whenever their saves fell in different seconds.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()
    return _pin_zip(buffer.getvalue(), naive)


def _pin_zip(data: bytes, when: datetime) -> bytes:
    """Re-pack the zip with fixed entry timestamps so identical content gives identical bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            pinned = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = info.external_attr
            target.writestr(pinned, source.read(info.filename))
    return out.getvalue()
