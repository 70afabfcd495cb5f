"""Typed settings read from the environment (pydantic-settings)."""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "dev-insecure-change-me"


class Settings(BaseSettings):
    """Every knob of the app; one instance per app, injectable in tests."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    app_env: Literal["development", "test", "production"] = "development"
    secret_key: str = PLACEHOLDER_SECRET
    # Empty means a SQLite file in the Flask instance folder.
    database_url: str = ""
    # Empty means tasks run in-process, synchronously (the embedded default).
    celery_broker_url: str = ""
    # Seconds before Redis hands an unacknowledged task to another worker: above the longest task.
    celery_visibility_timeout: int = Field(2 * 3600, ge=1)
    # How often a worker looks for tasks whose worker died (unacknowledged past the timeout).
    celery_restore_interval: int = Field(60, ge=1)
    # A job still "running" this long after it started is taken over (its worker died).
    job_lease_seconds: int = Field(2 * 3600, ge=1)
    # Where rate-limit counters live; empty means Redis when a broker is set, else memory.
    ratelimit_storage_uri: str = ""
    matcher_model: str = ""
    # "onnx" runs the model through onnxruntime when its vectors match PyTorch's; "torch" never does.
    matcher_backend: Literal["onnx", "torch"] = "onnx"
    # Tokens per piece of a text longer than the model reads at once (pieces' vectors are averaged);
    # unset means as many as the model reads, 0 cuts long texts instead.
    matcher_window: int | None = Field(None, ge=0)
    matcher_query_prompt: str = ""
    matcher_passage_prompt: str = ""
    # Whether MATCHER_MODEL reads Chinese (e.g. multilingual-e5); unset means as matching.models lists
    # a known model, else "not the packaged default".
    matcher_multilingual: bool | None = None
    # Load the embedding model in the background at start-up instead of on the first search.
    matcher_warm: bool = False
    # A folder where vectors are also cached by text hash (tests and development; empty = off).
    embedding_cache_dir: str = ""
    # OpenMP threads per FAISS search; one per query inside web processes.
    faiss_threads: int = Field(1, ge=1)
    # Empty means <instance>/index.
    index_dir: str = ""
    default_locale: Literal["zh_TW", "en"] = "zh_TW"
    # Stored times are UTC; pages show them in the programme's time zone.
    display_timezone: str = "Asia/Taipei"
    problems_per_sector: int = Field(20, ge=1)
    solutions_goal: int = Field(100, ge=1)
    programme_start: date = date(2025, 1, 1)
    programme_end: date = date(2027, 12, 31)
    stalled_days: int = Field(14, ge=1)
    max_content_length: int = Field(2 * 1024 * 1024, ge=1024)
    login_rate_limit: str = "10 per minute"
    register_rate_limit: str = "5 per minute"
    force_https: bool = False
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    smtp_sender: str = "noreply@matching.example.tw"
    # Used to build absolute links in emails.
    base_url: str = "http://127.0.0.1:5000"

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if self.app_env != "development" and self.secret_key in ("", PLACEHOLDER_SECRET):
            raise ValueError("SECRET_KEY must be set to a real secret outside development")
        if self.app_env == "production" and len(self.secret_key) < 32:
            raise ValueError("SECRET_KEY must be at least 32 characters in production")
        if self.programme_end <= self.programme_start:
            raise ValueError("PROGRAMME_END must be after PROGRAMME_START")
        return self

    @property
    def eager_tasks(self) -> bool:
        """True when no broker is configured and tasks run in-process."""
        return not self.celery_broker_url
