"""A small accessibility check: labelled form controls and buttons with text."""
from __future__ import annotations

from html.parser import HTMLParser

UNLABELLED_OK = {"hidden", "submit", "button", "reset", "image"}


class _Audit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.label_for: set[str] = set()
        self.controls: list[dict] = []
        self.buttons: list[dict] = []
        self._label_depth = 0
        self._button: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag in ("input", "select", "textarea") and a.get("type") not in UNLABELLED_OK:
            self.controls.append({**a, "_wrapped": self._label_depth > 0, "_tag": tag})
        elif tag == "button":
            self._button = {**a, "_text": ""}

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_depth -= 1
        elif tag == "button" and self._button is not None:
            self.buttons.append(self._button)
            self._button = None

    def handle_data(self, data):
        if self._button is not None:
            self._button["_text"] += data.strip()


def problems(html: str) -> list[str]:
    """Every control without a label and every button without text, described in one line."""
    audit = _Audit()
    audit.feed(html)
    found = []
    for c in audit.controls:
        labelled = c["_wrapped"] or c.get("id") in audit.label_for or c.get("aria-label")
        if not labelled:
            found.append(f"unlabelled <{c['_tag']} name={c.get('name')!r} id={c.get('id')!r}>")
    for b in audit.buttons:
        if not (b["_text"] or b.get("aria-label")):
            found.append(f"button without text: {b}")
    return found
