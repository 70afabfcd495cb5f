"""Build the Celery app for a Flask app; eager (in-process) when no broker is configured."""
from __future__ import annotations

from celery import Celery, Task
from celery.schedules import crontab
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
        broker_transport_options={"visibility_timeout": settings.celery_visibility_timeout,
                                  "unacked_restore_interval": settings.celery_restore_interval,
                                  "unacked_restore_throttle": 1},
        timezone=settings.display_timezone,
    )
    # Times are in the programme's time zone (Asia/Taipei by default).
    celery.conf.beat_schedule = {
        "quarterly-export": {"task": "workers.tasks.quarterly_export",     # the quarter just ended
                             "schedule": crontab(minute=0, hour=1, day_of_month=1, month_of_year="1,4,7,10")},
        "nightly-rebuild": {"task": "workers.tasks.nightly_rebuild", "schedule": crontab(minute=30, hour=2)},
        "overdue-milestones": {"task": "workers.tasks.remind_overdue", "schedule": crontab(minute=0, hour=9)},
        "sweep": {"task": "workers.tasks.sweep", "schedule": 60.0},
    }
    celery.set_default()
    # Registers the tasks on this app (shared_task binds to the default app).
    import workers.tasks  # noqa: F401

    flask_app.extensions["celery"] = celery
    return celery
