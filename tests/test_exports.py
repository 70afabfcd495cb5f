"""Quarterly exports: figures that reconcile, bilingual files, formula-safe, identical twice."""
from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections import Counter
from datetime import UTC, date, datetime

import openpyxl
import pytest
from sqlmodel import select

from marketplace.seed.demo import seed_demo
from models import AuditEvent, ExportRecord, Job, Problem, Solution
from tests import factories

TODAY = date(2026, 11, 27)
Q3 = (datetime(2026, 7, 1, tzinfo=UTC), datetime(2026, 10, 1, tzinfo=UTC))


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _independent_figures(session, start, end):
    """The same figures computed the slow, obvious way, row by row."""
    sector_of = {p.id: p.sector for p in session.exec(select(Problem)).all()}
    events = sorted(session.exec(select(AuditEvent).where(AuditEvent.object_type == "problem")).all(),
                    key=lambda e: (e.created_at, e.id))
    first_submit, status_at_end = {}, {}
    for e in events:
        status = e.action.split(".", 1)[1]
        if status in ("created", "edited"):
            continue
        if status == "submitted" and e.object_id not in first_submit:
            first_submit[e.object_id] = e.created_at
        if e.created_at < end:
            status_at_end[e.object_id] = status
    out = {}
    for sector in set(sector_of.values()):
        mine = [p for p, s in sector_of.items() if s == sector]
        solutions = [s for s in session.exec(select(Solution)).all() if sector_of[s.problem_id] == sector]
        out[sector] = {
            "posted_q": sum(1 for p in mine if p in first_submit and start <= first_submit[p] < end),
            "posted": sum(1 for p in mine if p in first_submit and first_submit[p] < end),
            "stages": Counter(status_at_end.get(p) for p in mine),
            "verified_q": sum(1 for s in solutions if s.verified_at and start <= s.verified_at < end),
            "verified": sum(1 for s in solutions if s.verified_at and s.verified_at < end),
        }
    return out


@pytest.fixture
def demo(app, session):
    seed_demo(session=session, today=TODAY)
    return session


def test_csv_summary_reconciles_with_the_database(app, demo, tmp_path):
    out = tmp_path / "q3.csv"
    result = _cli(app, "export", "quarterly", "--quarter", "2026Q3", "--format", "csv", "--output", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[0] == "產業別 Sector" and "Problems posted in quarter" in header[1] and "本季" in header[1]
    assert len(body) == 8 and body[-1][0] == "合計 Total"
    expected = _independent_figures(demo, *Q3)
    for row in body[:-1]:
        sector = next(s for s in expected if row[0].endswith(
            {"iot": "(IoT)", "smart_machinery": "Smart machinery", "green_energy": "Green energy",
             "biomedicine": "Biomedicine", "defense": "National defence", "new_agriculture": "New agriculture",
             "circular_economy": "Circular economy"}[s]))
        e = expected[sector]
        assert [int(v) for v in row[1:9]] == [e["posted_q"], e["posted"], e["stages"]["published"],
                                              e["stages"]["matched"], e["stages"]["in_progress"],
                                              e["stages"]["delivered"], e["verified_q"], e["verified"]], sector
        assert row[9] == "20"
    total = body[-1]
    assert int(total[8]) == sum(e["verified"] for e in expected.values())
    assert total[11] == "100" and total[12].endswith("%")
    assert int(total[7]) > 0, "the demo verified solutions in 2026Q3"


def test_xlsx_has_three_sheets_and_is_identical_twice(app, demo, tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for path in (a, b):
        assert _cli(app, "export", "quarterly", "--quarter", "2026Q2", "--format", "xlsx",
                    "--output", str(path)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    book = openpyxl.load_workbook(a)
    # Pinned to the quarter's last second (Taipei's 2026-06-30 23:59:59, in UTC), not the clock.
    assert book.properties.modified == book.properties.created == datetime(2026, 6, 30, 15, 59, 59)
    assert book.sheetnames == ["摘要 Summary", "本季驗證 Verified", "歷季 History"]
    summary = list(book["摘要 Summary"].values)
    assert len(summary) == 9 and summary[-1][0] == "合計 Total"
    verified = list(book["本季驗證 Verified"].values)[1:]
    start, end = datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)
    in_quarter = [s for s in demo.exec(select(Solution)).all() if s.verified_at and start <= s.verified_at < end]
    assert len(verified) == len(in_quarter) > 0
    history = list(book["歷季 History"].values)[1:]
    assert [r[0] for r in history] == ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2"]
    assert history[-1][4] == summary[-1][8], "cumulative verified agrees between sheets"
    records = demo.exec(select(ExportRecord)).all()
    assert len(records) == 2 and records[0].sha256 == hashlib.sha256(a.read_bytes()).hexdigest()


def test_text_that_looks_like_a_formula_is_neutralised(app, session, tmp_path):
    owner = factories.user(session, "company")
    match, problem, *_ = factories.approved_match(session, "verified", title="=HYPERLINK(\"http://x\")")
    session.add(Solution(match_id=match.id, problem_id=problem.id, team_id=match.team_id, summary="x",
                         verified_at=datetime(2026, 8, 1, tzinfo=UTC)))
    session.commit()
    out = tmp_path / "q.xlsx"
    assert _cli(app, "export", "quarterly", "--quarter", "2026Q3", "--format", "xlsx",
                "--output", str(out)).exit_code == 0
    cell = openpyxl.load_workbook(out)["本季驗證 Verified"]["A2"]
    # Stored as text marked quotePrefix (what Excel does for text typed after an apostrophe): shown
    # as typed, never a formula, and still text when edited.
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=HYPERLINK(\"http://x\")", "s", True)
    with zipfile.ZipFile(out) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in sheet and 'HYPERLINK' in sheet
    assert owner.id


@pytest.mark.parametrize("quarter", ["2026Q5", "26Q1", "abc", "2024Q4", "2031Q1", "2099Q1"])
def test_bad_quarters_exit_non_zero_with_one_line(app, tmp_path, quarter):
    result = _cli(app, "export", "quarterly", "--quarter", quarter, "--format", "csv",
                  "--output", str(tmp_path / "x.csv"))
    assert result.exit_code != 0
    assert result.output.strip().count("\n") == 0 and result.output.startswith("Error:")
    assert not (tmp_path / "x.csv").exists()


def test_staff_generate_and_download_again(app, demo):
    staff = app.test_client()
    staff.login("staff@demo.example", "demo-password")
    response = staff.post_form("/exports", {"quarter": "2026Q3", "format": "csv"})
    assert response.status_code == 302
    job = demo.exec(select(Job).where(Job.kind == "export")).one()
    demo.refresh(job)
    assert job.status == "done", job.error
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert job.result["filename"] in page
    first = staff.get(f"/exports/{job.result['export_id']}/download")
    again = staff.get(f"/exports/{job.result['export_id']}/download")
    assert first.data == again.data and first.data.startswith(b"\xef\xbb\xbf")
    assert first.headers["X-Content-SHA256"] == hashlib.sha256(first.data).hexdigest()
    listing = staff.get("/exports").get_data(as_text=True)
    assert "2026Q3" in listing and "CSV" in listing


def test_bad_quarter_on_the_page_is_a_clear_error(app, session):
    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    response = staff.post_form("/exports", {"quarter": "2026Q9", "format": "csv"})
    assert response.status_code == 400 and "flash error" in response.get_data(as_text=True)
    assert session.exec(select(Job)).first() is None


def test_the_scheduled_export_runs_once_per_quarter(app, demo):
    from workers.tasks import quarterly_export

    with app.app_context():
        first = quarterly_export("2026-10-01")
        again = quarterly_export("2026-10-01")
    assert len(first) == 2 and again == []
    assert {r.quarter for r in demo.exec(select(ExportRecord)).all()} == {"2026Q3"}


def test_quarters_follow_taiwan_time_and_the_sheet_shows_it(app, session, tmp_path):
    # 2026-10-01 01:30 in Taipei is still 2026-09-30 in UTC: a Q4 verification, not a Q3 one.
    match, problem, *_ = factories.approved_match(session, "verified", sector="new_agriculture")
    session.add(Solution(match_id=match.id, problem_id=problem.id, team_id=match.team_id, summary="x",
                         verified_at=datetime(2026, 9, 30, 17, 30, 15, 123456, tzinfo=UTC)))
    session.commit()
    for quarter, rows in (("2026Q3", 0), ("2026Q4", 1)):
        out = tmp_path / f"{quarter}.xlsx"
        assert _cli(app, "export", "quarterly", "--quarter", quarter, "--format", "xlsx",
                    "--output", str(out)).exit_code == 0
        verified = list(openpyxl.load_workbook(out)["本季驗證 Verified"].values)[1:]
        assert len(verified) == rows
    assert verified[0][3] == "新農業 New agriculture"
    assert verified[0][4] == datetime(2026, 10, 1, 1, 30, 15)


def test_a_bad_quarter_is_explained_in_the_readers_language(app, session):
    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    page = staff.post_form("/exports", {"quarter": "2026Q5", "format": "csv"}).get_data(as_text=True)
    assert "「2026Q5」不是有效的季度" in page
    page = staff.post_form("/exports", {"quarter": "2024Q4", "format": "csv"}).get_data(as_text=True)
    assert "2024Q4 不在計畫期間內" in page


def test_the_export_list_names_who_generated_each_file(app, session):
    staff = factories.user(session, "staff", display_name="林專員")
    client = app.test_client()
    client.login(staff.email)
    client.post_form("/exports", {"quarter": "2026Q3", "format": "csv"})
    page = client.get("/exports").get_data(as_text=True)
    assert "<td>林專員</td>" in page and "<td>推動中心人員</td>" not in page
    assert re.search(r'<a href="/exports/\d+/download">2026Q3</a>', page)


def test_shares_are_numbers_in_xlsx_and_percentages_in_csv(app, demo, tmp_path):
    book_path, csv_path = tmp_path / "q.xlsx", tmp_path / "q.csv"
    for path, fmt in ((book_path, "xlsx"), (csv_path, "csv")):
        assert _cli(app, "export", "quarterly", "--quarter", "2026Q3", "--format", fmt,
                    "--output", str(path)).exit_code == 0
    total = list(openpyxl.load_workbook(book_path)["摘要 Summary"].iter_rows(min_row=9, max_row=9))[0]
    assert isinstance(total[12].value, float) and total[12].number_format == "0.0%"
    assert total[12].value == pytest.approx(total[8].value / 100)
    row = list(csv.reader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig"))))[-1]
    assert row[12] == f"{total[12].value * 100:.1f}%"


def test_a_quarter_in_progress_is_marked_partial(app, session, tmp_path):
    from marketplace.exports.service import generate

    settings = app.config["SETTINGS"]
    today = date(2026, 11, 27)
    running = generate(session=session, settings=settings, quarter="2026Q4", fmt="xlsx", actor=None, today=today)
    assert running.filename == "ai-matching-2026Q4-as-of-2026-11-27.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(running.content))
    notes = [c.value for c in book["摘要 Summary"]["A"] if c.value and "2026-11-27" in str(c.value)]
    assert notes and "尚未結束" in notes[0] and "in progress" in notes[0]
    assert book.properties.modified == datetime(2026, 11, 27, 15, 59, 59), "end of that day in Taipei, in UTC"
    done = generate(session=session, settings=settings, quarter="2026Q3", fmt="xlsx", actor=None, today=today)
    assert done.filename == "ai-matching-2026Q3.xlsx"
    assert not [c.value for c in openpyxl.load_workbook(io.BytesIO(done.content))["摘要 Summary"]["A"]
                if c.value and "in progress" in str(c.value)]
    running.created_at = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)     # made on 27 November
    session.commit()
    staff = factories.user(session, "staff")
    client = app.test_client()
    client.login(staff.email)
    page = client.get("/exports").get_data(as_text=True)
    rows = page.split("<tbody>")[1].split("<tr>")
    assert "進行中" in next(r for r in rows if "2026Q4" in r) and "2026年11月27日" in page
    assert "進行中" not in next(r for r in rows if "2026Q3" in r)
