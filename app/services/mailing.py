"""Invitation e-mails. With MAIL_SERVER configured, an invitation's link is sent to the invited address (a plain
text and an HTML part) through Flask-Mailman; without it nothing is sent and the inviter copies the link. A send
that fails never loses the invitation: the inviter is told and gets the link to pass on themselves."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass

from flask import current_app, render_template, url_for
from flask_mailman import EmailMultiAlternatives

from ..extensions import mail
from ..models import Invitation, Respondent, User


@dataclass(frozen=True)
class Delivery:
    link: str
    emailed: bool = False
    error: str | None = None  # why the e-mail could not be sent, in words for the inviter

    def notice(self, invitation: Invitation, to: str = "") -> dict:
        """What the inviter's page says once, after the redirect (kept in the session, so plain JSON). The link is
        only shown when it was not e-mailed: then the inviter passes it on."""
        return {
            "to": to or invitation.email,
            "email": invitation.email,
            "link": None if self.emailed else self.link,
            "emailed": self.emailed,
            "error": self.error,
            "expires_at": invitation.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
            "anyone_with_link": invitation.anyone_with_link,
        }


def enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def deliver(invitation: Invitation, token: str, inviter: User, respondent: Respondent | None = None) -> Delivery:
    """The invitation's link, e-mailed to the invited address when mail is configured."""
    link = url_for("auth.invitation", token=token, _external=True)
    if not enabled():
        return Delivery(link)
    kind = "respondent" if respondent is not None else "member"
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "respondent": respondent,
        "inviter": inviter.display_name,
        "link": link,
    }
    message = EmailMultiAlternatives(
        subject=_one_line(render_template(f"mail/{kind}_subject.txt", **context)),
        body=render_template(f"mail/{kind}.txt", **context),
        to=[invitation.email],
    )
    # .html templates are autoescaped: an organisation named with markup arrives as text.
    message.attach_alternative(render_template(f"mail/{kind}.html", **context), "text/html")
    try:
        # Opened and closed here: Flask-Mailman's send() leaves the socket open when the server refuses a message.
        with mail.get_connection() as connection:
            connection.send_messages([message])
    except (OSError, smtplib.SMTPException) as failed:
        current_app.logger.warning("invitation %s not e-mailed: %r", invitation.id, failed)
        return Delivery(link, error=f"The e-mail to {invitation.email} could not be sent ({_reason(failed)}).")
    return Delivery(link, emailed=True)


def _one_line(text: str) -> str:
    """A header is one line: a line break in an organisation's name must not end the subject (or add headers)."""
    return " ".join(text.split())


def _reason(failed: Exception) -> str:
    if isinstance(failed, smtplib.SMTPResponseException):
        return f"the mail server answered {failed.smtp_code}"
    if isinstance(failed, smtplib.SMTPRecipientsRefused):
        return "the mail server refused the address"
    if isinstance(failed, ConnectionRefusedError):
        return "the mail server refused the connection"
    if isinstance(failed, TimeoutError):
        return "the mail server did not answer in time"
    return "the mail server could not be reached"
