"""Every string is translatable and translated: the zh-TW catalog covers what the code says."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from models import enums

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "marketplace/translations/zh_Hant_TW/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _extract(tmp_path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract",
                    "-F", "marketplace/babel.cfg", "-k", "_l", "-k", "lazy_gettext",
                    "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def _catalog() -> dict[str, str]:
    with CATALOG.open("rb") as fh:
        catalog = read_po(fh, locale="zh_TW")
    out = {}
    for m in catalog:
        if m.id and "fuzzy" not in m.flags:
            key = m.id if isinstance(m.id, str) else m.id[0]
            out[key] = m.string if isinstance(m.string, str) else m.string[0]
    return out


def test_every_source_string_has_a_zh_tw_translation(tmp_path):
    source, catalog = _extract(tmp_path), _catalog()
    untranslated = sorted(s for s in source if not catalog.get(s))
    assert not untranslated, f"run `make i18n-extract` and translate: {untranslated[:10]}"


def test_translations_keep_their_placeholders():
    for msgid, msgstr in _catalog().items():
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(msgstr)), msgid


def test_every_enum_value_has_both_labels():
    for cls in (enums.Sector, enums.ProblemStatus, enums.Role, enums.BidStatus, enums.MatchStatus,
                enums.CertLevel, enums.AffiliationType, enums.DataKind, enums.Sensitivity,
                enums.Region, enums.Language):
        for member in cls:
            zh, en = member.label("zh_TW"), member.label("en")
            assert zh and en and zh != en, member


def test_pages_render_in_both_languages(client):
    zh = client.get("/problems").get_data(as_text=True)
    assert "徵求中的產業問題" in zh
    client.post_form("/lang/en")
    en = client.get("/problems").get_data(as_text=True)
    assert "Open problems" in en and "徵求中的產業問題" not in en


def test_lists_are_joined_as_the_readers_language_writes_them(app):
    from marketplace.i18n import listing
    from models import enums

    with app.test_request_context("/?lang=en"):
        assert listing(["Aquaculture", "Monitoring"]) == "Aquaculture and Monitoring"
        assert "、" not in listing(["image", "text", "tabular"], enums.DataKind)
    with app.test_request_context():
        assert listing(["影像辨識", "預測", "養殖"]) == "影像辨識、預測和養殖"
        assert listing([]) == ""


def test_switching_language_after_a_form_error_goes_back_to_the_forms_page(app, session):
    from tests import factories

    team_user = factories.user(session, "team")
    client = app.test_client()
    client.login(team_user.email)
    page = client.post_form("/my/team/portfolio", {"title": ""},
                            headers={"Referer": "http://localhost/my/team/profile"}).get_data(as_text=True)
    action = re.search(r'class="lang-switch" action="([^"]+)"', page).group(1)
    assert action == "/lang/en?next=/my/team/profile"
    assert client.post_form(action.replace("&amp;", "&")).headers["Location"] == "/my/team/profile"
