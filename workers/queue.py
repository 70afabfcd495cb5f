"""Enqueue tasks only after the commit that makes their rows visible; a rollback drops them."""
from __future__ import annotations

import logging
from collections.abc import Callable

from kombu.exceptions import OperationalError
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_KEY = "after_commit_callbacks"
_SEEN = "after_commit_seen"


def after_commit(session: Session, fn: Callable, *args, **kwargs) -> None:
    """Call fn(*args, **kwargs) once `session` commits; never if it rolls back."""
    session.info.setdefault(_KEY, []).append((fn, args, kwargs))


def bound(task):
    """The task as registered on the current Flask app's Celery (eager, or sending to its broker)."""
    from flask import current_app, has_app_context

    if has_app_context() and "celery" in current_app.extensions:
        return current_app.extensions["celery"].tasks[task.name]
    return task


def enqueue(session: Session, task, *args) -> None:
    """Send a Celery task (by ids only) after the current transaction commits, once per transaction."""
    seen = session.info.setdefault(_SEEN, set())
    key = (task.name, args)
    if key in seen:
        return
    seen.add(key)
    after_commit(session, bound(task).delay, *args)


@event.listens_for(Session, "after_commit")
def _run_callbacks(session: Session) -> None:
    callbacks = session.info.pop(_KEY, [])
    session.info.pop(_SEEN, None)
    for fn, args, kwargs in callbacks:
        try:
            fn(*args, **kwargs)
        except (OperationalError, OSError, ConnectionError) as exc:
            # The broker is down. What was committed stays committed; the durable row (outbox
            # email, job) is picked up again by the periodic sweep once the broker is back.
            log.warning("could not enqueue %s%s: %s", getattr(fn, "__name__", fn), args, exc)
        except Exception:
            # In-process (eager) tasks run right here; one failing must not undo the response
            # to a change that is already committed, nor stop the callbacks after it.
            log.exception("task %s%s failed after commit", getattr(fn, "__name__", fn), args)


@event.listens_for(Session, "after_soft_rollback")
def _drop_callbacks(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction rolled back
        session.info.pop(_KEY, None)
        session.info.pop(_SEEN, None)
