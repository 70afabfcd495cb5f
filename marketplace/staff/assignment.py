"""Staff: propose an assignment of teams to every open problem, review it, approve the rest."""
from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlmodel import select

from marketplace.db import get_session
from marketplace.htmx import render
from marketplace.security import staff_required
from marketplace.services import jobs, proposals
from marketplace.staff import bp
from models import Job, Problem, Team


def _job_or_404(job_id: int) -> Job:
    job = get_session().get(Job, job_id)
    if job is None or job.kind != "assignment":
        abort(404)
    return job


def _proposal_context(job: Job) -> dict:
    session = get_session()
    if job.status != "done":
        return {}
    ids = {p["problem_id"] for p in job.result["pairs"]} | {int(p) for p in job.result["unassigned"]}
    team_ids = {t for cands in job.result["candidates"].values() for t, _ in cands} \
        | {row[0] for rows in job.result.get("left_out", {}).values() for row in rows}
    problems = {p.id: p for p in session.exec(select(Problem).where(Problem.id.in_(ids))).all()}
    teams = {t.id: t for t in session.exec(select(Team).where(Team.id.in_(team_ids))).all()}
    reasons = {"no_candidates": _("no team fits it"),
               "conflicts": _("every fitting team has a conflict of interest"),
               "no_capacity": _("the fitting teams have no free capacity"),
               "capacity_taken": _("the fitting teams' capacity went to problems they fit better")}
    approved = job.result.get("approved_at")
    pair_ids = [p["problem_id"] for p in job.result["pairs"]]
    # Per problem, each candidate team's (fit, (rank, count)): the Fit column follows a swap.
    candidates = {p: job.result["candidates"].get(str(p), []) for p in pair_ids}
    ranks = {p: {t: (s, rank) for (t, s), rank in zip(c, proposals.candidate_ranks(c), strict=True)}
             for p, c in candidates.items()}
    return {"problems": problems, "teams": teams, "reasons": reasons, "ranks": ranks,
            "open_bids": proposals.open_bid_counts(session, pair_ids),
            "approved_at": datetime.fromisoformat(approved) if approved else None}


@bp.get("/assignment")
@staff_required
def assignment():
    """Start a proposal; show the newest one."""
    latest = get_session().exec(select(Job).where(Job.kind == "assignment")
                                .order_by(Job.id.desc())).first()
    if latest is not None:
        return redirect(url_for("staff.assignment_job", job_id=latest.id))
    return render("staff/assignment.html", job=None,
                  open_count=len(proposals.open_problems(get_session())))


@bp.post("/assignment")
@staff_required
def start_assignment():
    """Run the solver in the background (in-process without a broker)."""
    raw = request.form.get("candidates", "5").strip()
    k = int(raw) if raw.isdigit() else 0          # "abc" is refused, not read as the default
    if not 1 <= k <= 20:
        flash(_("Candidates per problem must be between 1 and 20."), "error")
        return redirect(url_for("staff.assignment"))
    job = jobs.create(session=get_session(), kind="assignment", params={"candidates_per_problem": k},
                      actor=current_user.user)
    return redirect(url_for("staff.assignment_job", job_id=job.id))


@bp.get("/assignment/<int:job_id>")
@staff_required
def assignment_job(job_id: int):
    """The proposal page; while the job runs, its status fragment refreshes itself."""
    job = _job_or_404(job_id)
    return render("staff/assignment.html", "staff/_assignment_job.html", job=job,
                  open_count=len(proposals.open_problems(get_session())), **_proposal_context(job))


@bp.post("/assignment/<int:job_id>/approve")
@staff_required
def approve_assignment(job_id: int):
    """Approve every kept pair (with any swaps) in one action; each approval is audited."""
    job = _job_or_404(job_id)
    if job.status != "done":
        abort(409)
    selections = {}
    approved = job.result.get("approved_pairs") or {}
    for pair in job.result["pairs"]:
        pid = pair["problem_id"]
        if request.form.get(f"keep-{pid}") and str(pid) not in approved:
            allowed = {t for t, _ in job.result["candidates"].get(str(pid), [])}
            team_id = request.form.get(f"team-{pid}", type=int) or pair["team_id"]
            selections[pid] = team_id if team_id in allowed else pair["team_id"]
    if not selections:
        # Back to the proposal as the officer left it (nothing ticked, teams as chosen), not its
        # defaults: a default tick put back silently would be approved on the next try.
        flash(_("Keep at least one pair to approve."), "error")
        picked = {p["problem_id"]: request.form.get(f"team-{p['problem_id']}", type=int) or p["team_id"]
                  for p in job.result["pairs"]}
        return render("staff/assignment.html", "staff/_assignment_job.html", status=400, job=job, kept=set(),
                      picked=picked, open_count=len(proposals.open_problems(get_session())),
                      **_proposal_context(job))
    done, skipped = proposals.approve(session=get_session(), job=job, selections=selections,
                                      actor=current_user.user)
    if done:
        flash(ngettext("%(num)d match approved.", "%(num)d matches approved.", done), "success")
    for line in skipped:
        flash(line, "error")
    # With pairs refused, back to the proposal, where they wait unticked; else to the matches.
    if skipped:
        return redirect(url_for("staff.assignment_job", job_id=job.id))
    return redirect(url_for("staff.matches"))
