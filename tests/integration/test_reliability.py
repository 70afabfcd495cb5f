"""Reliability with a real Redis and real worker processes (CI runs these on PostgreSQL)."""
from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest
import redis
import sqlalchemy as sa
from sqlmodel import Session, select

from marketplace.services import jobs
from models import ExportRecord, Job, Solution
from tests import factories
from tests.integration.conftest import ROOT, wait_for, worker_env
from tests.services import postgres_only

pytestmark = [pytest.mark.redis, pytest.mark.slow]


def _job(app, session, job_id):
    session.expire_all()
    return session.get(Job, job_id)


def _export_job(app, quarter="2026Q3"):
    with app.app_context():
        from marketplace.db import get_session

        return jobs.create(session=get_session(), kind="export", actor=None,
                           params={"quarter": quarter, "fmt": "csv", "today": "2026-11-27"}).id


def _some_verified_work(session):
    match, problem, *_ = factories.approved_match(session, "verified")
    session.add(Solution(match_id=match.id, problem_id=problem.id, team_id=match.team_id, summary="done",
                         verified_at=datetime(2026, 8, 3, tzinfo=UTC)))
    session.commit()


def test_a_worker_killed_mid_task_is_replaced_and_nothing_runs_twice(broker_app, workers, session):
    """kill -9 while the task is inside its transaction; another worker redoes it exactly once."""
    postgres_only()
    engine = broker_app.extensions["db_engine"]
    _some_verified_work(session)
    blocker = engine.connect()
    blocker.execute(sa.text("LOCK TABLE export_record IN ACCESS EXCLUSIVE MODE"))  # held open
    first = workers.start()
    job_id = _export_job(broker_app)
    wait_for(lambda: _job(broker_app, session, job_id).status == "running", 60, what="the job to start")
    waiting = lambda: blocker.execute(sa.text(  # noqa: E731
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%export_record%'"
    )).scalar()
    wait_for(waiting, 30, what="the worker to be blocked inside the task")
    workers.kill9(first)
    blocker.rollback()
    blocker.close()
    assert _job(broker_app, session, job_id).status == "running"   # left behind by the dead worker
    workers.start()
    wait_for(lambda: _job(broker_app, session, job_id).status == "done", 90,
             what=f"a new worker to finish the job\n{workers.log()}")
    assert len(session.exec(select(ExportRecord)).all()) == 1


def test_a_task_enqueued_in_a_rolled_back_transaction_does_nothing(broker_app, broker_url, session):
    with broker_app.app_context():
        from marketplace.db import get_session

        db = get_session()
        jobs.create(session=db, kind="export", actor=None, commit=False,
                    params={"quarter": "2026Q3", "fmt": "csv"})
        db.rollback()
    client = redis.Redis.from_url(broker_url)
    assert client.llen("celery") == 0, "nothing reached the broker"
    assert session.exec(select(Job)).first() is None


def test_committed_work_survives_a_broker_outage_and_runs_after_restart(settings, redis_server, session,
                                                                          tmp_path):
    from marketplace import create_app
    from tests.conftest import Client
    from tests.integration.conftest import Workers

    app = create_app(settings.model_copy(update={"celery_broker_url": redis_server.url}))
    app.test_client_class = Client
    client = app.test_client()
    assert client.get("/healthz").get_json()["broker"] == "ok"
    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    owner = factories.user(session, "company")
    problem = factories.problem(session, owner=owner, status="submitted")

    redis_server.stop()
    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_json()["broker"] == "unavailable"
    assert client.get("/problems").status_code == 200
    response = staff.post_form("/staff/review", {"problem_ids": str(problem.id), "decision": "publish"})
    assert response.status_code == 302, "the decision is saved even though tasks cannot be sent"
    session.refresh(problem)
    assert problem.status == "published"
    stranded = session.exec(select(Job).where(Job.status == "queued")).all()
    assert stranded, "the index refresh waits as a durable job row"

    redis_server.start()
    assert client.get("/healthz").get_json()["broker"] == "ok"
    workers = Workers(worker_env(app.config["SETTINGS"], redis_server.url, tmp_path), tmp_path)
    try:
        workers.start()
        with app.app_context():
            from workers.queue import bound
            from workers.tasks import sweep

            bound(sweep).delay(0)              # what beat does every minute
        for job in stranded:
            wait_for(lambda j=job: _job(app, session, j.id).status == "done", 120,
                     what=f"the stranded job to run\n{workers.log()}")
        _some_verified_work(session)
        fresh = _export_job(app)             # queued after the restart
        wait_for(lambda: _job(app, session, fresh).status == "done", 90, what=f"a new task\n{workers.log()}")
    finally:
        workers.stop_all()
        app.extensions["db_engine"].dispose()


def test_a_web_process_notices_a_new_index_version_from_another_process(app, session, settings):
    """Process B (the CLI) publishes; process A (this one) reloads before its next answer."""
    from marketplace.recommender.engine import get_engine

    problem = factories.problem(session, title="鋁件瑕疵檢測", tags=["defect_detection"])
    factories.team(session, name="第一個團隊", skills=["defect_detection"])
    with app.app_context():
        from marketplace.db import get_session

        engine = get_engine()
        engine.publish(get_session(), "teams")
        first = engine.matcher(get_session(), "teams")
        assert [p.name for p in first.profiles] == ["第一個團隊"]
    factories.team(session, name="另一個程序加入的團隊", skills=["defect_detection"])
    env = worker_env(settings, "", settings.index_dir)
    env["CELERY_BROKER_URL"] = ""
    subprocess.run([sys.executable, "-m", "marketplace.cli", "match", "rebuild"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    with app.app_context():
        from marketplace.db import get_session

        second = get_engine().matcher(get_session(), "teams")
        assert second is not first
        assert {p.name for p in second.profiles} == {"第一個團隊", "另一個程序加入的團隊"}
    with Session(app.extensions["db_engine"]) as check:
        assert check.get(type(problem), problem.id)
