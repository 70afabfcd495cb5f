"""Entry point for `celery -A workers.entry worker|beat`: builds the Flask app and its Celery."""
from marketplace import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
