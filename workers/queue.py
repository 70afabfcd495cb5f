"""Enqueue tasks only after the commit that makes their rows visible; a rollback drops them."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

_KEY = "after_commit_callbacks"
_SEEN = "after_commit_seen"


def after_commit(session: Session, fn: Callable, *args, **kwargs) -> None:
    """Call fn(*args, **kwargs) once `session` commits; never if it rolls back."""
    session.info.setdefault(_KEY, []).append((fn, args, kwargs))


def enqueue(session: Session, task, *args) -> None:
    """Send a Celery task (by ids only) after the current transaction commits, once per transaction."""
    seen = session.info.setdefault(_SEEN, set())
    key = (task.name, args)
    if key in seen:
        return
    seen.add(key)
    after_commit(session, task.delay, *args)


@event.listens_for(Session, "after_commit")
def _run_callbacks(session: Session) -> None:
    callbacks = session.info.pop(_KEY, [])
    session.info.pop(_SEEN, None)
    for fn, args, kwargs in callbacks:
        fn(*args, **kwargs)


@event.listens_for(Session, "after_soft_rollback")
def _drop_callbacks(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction rolled back
        session.info.pop(_KEY, None)
        session.info.pop(_SEEN, None)
