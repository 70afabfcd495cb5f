"""One place that decides between a full page and its htmx fragment."""
from __future__ import annotations

from flask import Response, make_response, redirect, render_template, request


def is_htmx() -> bool:
    """True for requests made by htmx (and not history restores, which need the full page)."""
    return request.headers.get("HX-Request") == "true" and \
        request.headers.get("HX-History-Restore-Request") != "true"


def render(page: str, fragment: str | None = None, /, status: int = 200, **context) -> Response:
    """Render the page, or only its fragment for htmx; always Vary on HX-Request."""
    template = fragment if (fragment and is_htmx()) else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def redirect_to(url: str) -> Response:
    """Redirect a normal request; tell htmx to navigate instead of swapping the next page in."""
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)
