"""Background work: a Celery app whose tasks run inside a Flask app context."""
