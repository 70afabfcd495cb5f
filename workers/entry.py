"""Entry point for `celery -A workers.entry worker|beat`: builds the Flask app, then Celery."""
from marketplace import create_app
from workers.celery_app import make_celery

flask_app = create_app()
celery = make_celery(flask_app)
