"""Organisations the caller belongs to, their members, and invitations to join them."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Page

from ..models import Role
from ..schemas.organisations import (
    InvitationCreateSchema,
    InvitationListedSchema,
    InvitationSchema,
    MemberSchema,
    OrganisationCreateSchema,
    OrganisationSchema,
    OrganisationUpdateSchema,
)
from ..services import accounts, editions, invitations, mailing, tenancy
from .auth import caller, resource_blueprint
from .document import refused

blp = resource_blueprint("organisations", __name__, "Organisations, their members and invitations")


@blp.route("/organisations")
class Organisations(MethodView):
    @blp.response(200, OrganisationSchema(many=True))
    @blp.paginate(Page)
    def get(self):
        """The organisations the caller belongs to, by name"""
        return [{"organisation": o, "role": role} for o, role in tenancy.organisations_of(caller())]

    @blp.arguments(OrganisationCreateSchema)
    @blp.response(201, OrganisationSchema)
    def post(self, body):
        """Create an organisation; the caller becomes its owner"""
        organisation = accounts.create_organisation(caller(), body["name"], Role.OWNER)
        return tenancy.membership(caller(), organisation.id)


@blp.route("/organisations/<int:organisation_id>")
class Organisation(MethodView):
    @blp.response(200, OrganisationSchema)
    def get(self, organisation_id: int):
        """One organisation, with the caller's role in it"""
        return tenancy.membership(caller(), organisation_id)

    @blp.arguments(OrganisationUpdateSchema)
    @blp.response(200, OrganisationSchema)
    def patch(self, body, organisation_id: int):
        """Set the edition the organisation's new assessments are read in (owners and consultants)

        A team certified to an older edition keeps it until it moves; assessments already started keep theirs.
        """
        editions.set_default_edition(caller(), organisation_id, body["default_edition"])
        return tenancy.membership(caller(), organisation_id)


@blp.route("/organisations/<int:organisation_id>/members")
class Members(MethodView):
    @blp.response(200, MemberSchema(many=True))
    @blp.paginate(Page)
    def get(self, organisation_id: int):
        """The members and their roles, oldest first"""
        return accounts.members_of(caller(), organisation_id)


@blp.route("/organisations/<int:organisation_id>/invitations")
class Invitations(MethodView):
    @blp.response(200, InvitationListedSchema(many=True))
    @blp.paginate(Page)
    def get(self, organisation_id: int):
        """Invitations to join the organisation, newest first, with their state (owners and consultants)"""
        return invitations.organisation_invitations(caller(), organisation_id)

    @blp.arguments(InvitationCreateSchema)
    @blp.response(201, InvitationSchema)
    def post(self, body, organisation_id: int):
        """Invite someone by email (owners and consultants); the one-time link is in this response only

        The link is also e-mailed when the server has mail configured (`emailed`; `email_error` says why not).
        """
        invitation, token = invitations.invite(
            caller(), organisation_id, body["email"], body["role"], anyone_with_link=body["anyone_with_link"]
        )
        delivery = mailing.deliver(invitation, token, caller())
        shown_once = {
            "id": invitation.id,
            "email": invitation.email,
            "role": invitation.role,
            "anyone_with_link": invitation.anyone_with_link,
            "expires_at": invitation.expires_at,
            "link": delivery.link,
            "emailed": delivery.emailed,
            "email_error": delivery.error,
        }
        return shown_once, {"Cache-Control": "no-store"}  # the link is a credential: keep it out of caches


@blp.route("/organisations/<int:organisation_id>/invitations/<int:invitation_id>")
class Invitation(MethodView):
    @blp.response(200, InvitationListedSchema)
    def get(self, organisation_id: int, invitation_id: int):
        """One invitation with its state (owners and consultants)"""
        return invitations.organisation_invitation(caller(), organisation_id, invitation_id)


@blp.route("/organisations/<int:organisation_id>/invitations/<int:invitation_id>/revoke")
class InvitationRevocation(MethodView):
    @blp.response(200, InvitationListedSchema)
    @refused(blp, 409, "The invitation has been accepted already")
    def post(self, organisation_id: int, invitation_id: int):
        """Revoke an invitation not used yet (owners and consultants): its link stops working

        The invitation stays listed, as revoked; revoking it again changes nothing. Respondents' invitations too:
        their ids are in the assessment's respondents (`invitation_id`).
        """
        return invitations.revoke(caller(), organisation_id, invitation_id)
