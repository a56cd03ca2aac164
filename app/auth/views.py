from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..services import accounts, invitations
from ..services.errors import NotFound, ServiceError
from ..web import login_required, me
from . import bp


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never bounce a freshly logged-in user to another one. Browsers drop tabs and
    line breaks from a URL ("/\t/evil.example" is "//evil.example" to them), and a line break in a header is an
    error, so a target with any control character or space is refused, as is one that names a scheme or host."""
    if not target or any(c <= " " or c == "\x7f" for c in target) or "\\" in target:
        return url_for("workspace.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("workspace.home")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    error = None
    status = 200
    if request.method == "POST":
        try:
            user = accounts.authenticate(
                request.form.get("email", ""), request.form.get("password", ""), request.remote_addr or "unknown"
            )
        except accounts.TooManyAttempts as refused:
            error, status = refused.message, 429
        else:
            if user is None:
                error, status = "Wrong email or password.", 401
            else:
                session.regenerate()
                login_user(user)
                return redirect(_safe_next(request.form.get("next")))
    return render_template("auth/login.html", error=error, next=request.values.get("next", "")), status


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    # The invitation page's "log out" comes back to the invitation, to accept it as the invited person.
    target = request.form.get("next")
    return redirect(_safe_next(target) if target else url_for("auth.login"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    try:
        invite = invitations.pending_invitation(token)
    except NotFound as missing:
        return render_template("auth/invitation.html", error=missing.message, invitation=None), 404
    errors: dict = {}
    if current_user.is_authenticated:
        try:
            invitations.check_addressee(invite, me())
        except ServiceError as refused:  # said at once, not after a click; the link stays usable
            return render_template("auth/invitation.html", invitation=invite, errors={}, refused=refused.message), 403
    if request.method == "POST":
        try:
            if current_user.is_authenticated:
                user = me()
            else:
                # A bound invitation makes the account of the invited address; "anyone with the link", their own.
                email = request.form.get("email", "") if invite.anyone_with_link else invite.email
                user = accounts.create_user(email, request.form.get("password", ""), name=request.form.get("name", ""))
                session.regenerate()
                login_user(user)
            membership = invitations.accept_invitation(token, user)
        except ServiceError as refused:
            errors = refused.fields or {"": [refused.message]}
        else:
            if invite.assessment_id is not None:
                flash("Your answers are your own: nobody else's are shown to you, and yours are not shown to them.")
                return redirect(url_for("chat.chat", assessment_id=invite.assessment_id))
            flash(f"You joined {membership.organisation.name}.")
            return redirect(url_for("workspace.organisation", organisation_id=membership.organisation_id))
    return render_template("auth/invitation.html", invitation=invite, errors=errors, error=None), 422 if errors else 200


@bp.get("/account")
@login_required
def account():
    return render_template("auth/account.html")
