"""A company's organisation profile: its writes, audited."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from marketplace.services import NotAllowed
from marketplace.services.audit import record
from models import Organisation, User

ORGANISATION_FIELDS = ("name", "name_en", "sector", "region", "is_sme", "description")


def update_organisation(*, session: Session, org: Organisation, actor: User, fields: dict) -> Organisation:
    """Save the profile fields a company may edit (others are ignored) and audit the change."""
    if actor.organisation_id != org.id:
        raise NotAllowed(_l("This is another organisation's profile."))
    changed = sorted(k for k in ORGANISATION_FIELDS if k in fields and getattr(org, k) != fields[k])
    for key in changed:
        setattr(org, key, fields[key])
    session.add(org)
    record(session=session, actor=actor, action="organisation.updated", obj_type="organisation", obj_id=org.id,
           fields=changed or None)
    session.commit()
    return org
