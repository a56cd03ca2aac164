"""Organisations the caller belongs to, their members, and invitations to join them."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from flask_smorest import Page

from ..models import Role
from ..schemas.organisations import (
    InvitationCreateSchema,
    InvitationSchema,
    MemberSchema,
    OrganisationCreateSchema,
    OrganisationSchema,
)
from ..services import accounts, invitations, tenancy
from .auth import caller, resource_blueprint

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


@blp.route("/organisations/<int:organisation_id>/members")
class Members(MethodView):
    @blp.response(200, MemberSchema(many=True))
    @blp.paginate(Page)
    def get(self, organisation_id: int):
        """The members and their roles, oldest first"""
        return accounts.members_of(caller(), organisation_id)


@blp.route("/organisations/<int:organisation_id>/invitations")
class Invitations(MethodView):
    @blp.arguments(InvitationCreateSchema)
    @blp.response(201, InvitationSchema)
    def post(self, body, organisation_id: int):
        """Invite someone by email (owners and consultants); the one-time link is in this response only"""
        invitation, token = invitations.invite(caller(), organisation_id, body["email"], body["role"])
        link = url_for("auth.invitation", token=token, _external=True)
        shown_once = {
            "id": invitation.id,
            "email": invitation.email,
            "role": invitation.role,
            "expires_at": invitation.expires_at,
            "link": link,
        }
        return shown_once, {"Cache-Control": "no-store"}  # the link is a credential: keep it out of caches
