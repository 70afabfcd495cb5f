"""GET /healthz reports the database, the broker and the index, with 503 on a dead database."""
from __future__ import annotations

from marketplace import create_app
from tests.services import redis_url


def test_healthz_ok_without_a_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "ok" and body["broker"] == "eager"
    assert body["index"]["state"] in ("empty", "ready")


def test_healthz_is_503_when_the_database_is_unreachable(settings, tmp_path):
    dead = settings.model_copy(update={
        "database_url": "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"})
    app = create_app(dead)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"


def test_pages_answer_a_clear_503_when_the_database_is_down(settings):
    dead = settings.model_copy(update={
        "database_url": "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"})
    response = create_app(dead).test_client().get("/problems")
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "Traceback" not in page and "<html" in page


def test_healthz_sees_a_real_redis_broker(settings):
    url = redis_url()
    app = create_app(settings.model_copy(update={"celery_broker_url": url}))
    assert app.test_client().get("/healthz").get_json()["broker"] == "ok"


def test_healthz_reports_an_unreachable_broker_but_stays_up(settings):
    app = create_app(settings.model_copy(update={"celery_broker_url": "redis://127.0.0.1:1/0"}))
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["broker"] == "unavailable"



def test_matcher_warm_loads_the_model_in_the_background(settings):
    import threading

    from marketplace import create_app

    cold = create_app(settings)
    assert "recommender" not in cold.extensions, "nothing is loaded before it is needed"
    app = create_app(settings.model_copy(update={"matcher_warm": True}))
    for thread in threading.enumerate():
        if thread.name == "matcher-warm":
            thread.join(timeout=120)
    assert "recommender" in app.extensions, "the engine and its model were made without a request"
    for made in (app, cold):
        made.extensions["db_engine"].dispose()
