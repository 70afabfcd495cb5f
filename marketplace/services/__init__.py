"""Keyword-only domain services; views and tasks call these, never the tables directly."""


class ServiceError(Exception):
    """A user-facing refusal: the message is safe to show (and already translated by the caller)."""

    status_code = 400


class NotAllowed(ServiceError):
    """The actor may not do this to this object."""

    status_code = 403


class Conflict(ServiceError):
    """The object changed under us or the action was already done."""

    status_code = 409


class NotFound(ServiceError):
    """The object does not exist (or is not visible to the actor)."""

    status_code = 404
