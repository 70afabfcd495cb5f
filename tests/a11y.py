"""A small accessibility check: labelled form controls, buttons with text, ids used once."""
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
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"])
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
    """Every control without a label, button without text and id used twice, each in one line."""
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
    # A label (or aria-describedby) names the first element with its id: a second one is unreachable.
    found += [f"id used twice: {i!r}" for i in sorted({i for i in audit.ids if audit.ids.count(i) > 1})]
    return found
