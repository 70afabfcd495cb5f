"""Where the app may send a user back to: same-site paths only."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import request


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None (no scheme, host, backslash or control)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def back_here() -> str:
    """This page's path, to come back to after switching language. A form sent back with errors
    answers a POST, which cannot be reloaded: the way back is the page the form was on."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    came_from = urlsplit(request.referrer or "")
    if came_from.netloc == request.host and came_from.path.startswith("/"):
        return came_from.path + (f"?{came_from.query}" if came_from.query else "")
    return "/"
