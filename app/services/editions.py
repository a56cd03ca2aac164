"""The edition an assessment is read in: chosen when it starts, from the organisation's setting or the newest
published catalogue (knowledge.rekey), and the organisation's setting itself."""

from __future__ import annotations

from ..extensions import db, knowledge_base
from ..knowledge import rekey
from ..knowledge.model import Catalogue
from ..knowledge.rekey import EditionView, default_edition, edition_or_default, editions_of
from ..models import Assessment, Organisation, User
from . import tenancy
from .errors import Invalid


def edition_for(organisation: Organisation, questionnaire_id: str, asked: str | None = None) -> str:
    """`asked` when given, else the organisation's default when this questionnaire can be read in it, else the
    newest published edition; Invalid for an edition the questionnaire cannot be read in."""
    kb = knowledge_base()
    readable = editions_of(kb, questionnaire_id)
    if asked:
        if asked not in readable:
            raise Invalid("unknown edition", {"edition": [f"expected one of {', '.join(readable)}"]})
        return asked
    if organisation.default_edition in readable:
        return organisation.default_edition
    return default_edition(kb, questionnaire_id)


def choices() -> list[dict[str, str]]:
    """The editions an organisation may choose as its default: every catalogue some questionnaire can be read in,
    oldest first, with its status."""
    kb = knowledge_base()
    ids = dict.fromkeys(e for q in kb.questionnaires for e in editions_of(kb, q))
    return [{"id": e, "title": kb.catalogues[e].title, "status": kb.catalogues[e].status} for e in ids]


def set_default_edition(user: User, organisation_id: int, edition: str | None) -> Organisation:
    """The edition the organisation's new assessments are read in (None: the newest published one); owners and
    consultants only. Assessments already started keep theirs."""
    organisation = tenancy.organisation_for(user, organisation_id, manage=True)
    known = [c["id"] for c in choices()]
    if edition and edition not in known:
        raise Invalid("unknown edition", {"default_edition": [f"expected one of {', '.join(known)}"]})
    organisation.default_edition = edition or None
    db.session.commit()
    return organisation


def view_of(assessment: Assessment) -> EditionView:
    """The assessment's questionnaire and catalogue in its edition (an edition the knowledge base no longer reaches
    from the questionnaire reads as the default one, as the evaluation does)."""
    kb = knowledge_base()
    questionnaire_id = assessment.questionnaire_id
    return rekey.view(kb, questionnaire_id, edition_or_default(kb, questionnaire_id, assessment.edition))


def catalogue_of(assessment: Assessment) -> Catalogue:
    return view_of(assessment).catalogue
