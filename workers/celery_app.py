"""Build the Celery app for a Flask app; eager (in-process) when no broker is configured."""
from __future__ import annotations

from celery import Celery, Task
from flask import Flask


def make_celery(flask_app: Flask) -> Celery:
    """A Celery app bound to `flask_app`: every task runs inside its app context."""
    settings = flask_app.config["SETTINGS"]

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with flask_app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(flask_app.import_name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=settings.celery_broker_url or "memory://localhost/",
        task_always_eager=settings.eager_tasks,
        task_eager_propagates=True,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        # Above the longest task (a full rebuild or export), so an unacked task is not redelivered early.
        broker_transport_options={"visibility_timeout": 2 * 3600},
        timezone="UTC",
    )
    celery.set_default()
    # Registers the tasks on this app (shared_task binds to the default app).
    import workers.tasks  # noqa: F401

    flask_app.extensions["celery"] = celery
    return celery
