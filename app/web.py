"""What every page blueprint needs from Flask: members only, the member asking, and whether htmx wants a fragment.

One copy here, so the login redirect and the history-restore rule cannot drift apart between blueprints.
"""

from __future__ import annotations

from flask import Blueprint, after_this_request, g, session
from flask_login import current_user, login_required

from .extensions import htmx
from .models import User

# login_required is flask-login's, re-exported so a page outside a members-only blueprint (the account page) is
# guarded by the very check members_only() installs.
__all__ = ["FRAGMENT_HEADERS", "fragment_wanted", "login_required", "me", "members_only", "show_once", "shown_once"]

# The headers fragment_wanted() reads: a cache must key a response on both, or a history restore could be served
# the fragment an earlier htmx request got for the same address.
FRAGMENT_HEADERS = ("HX-Request", "HX-History-Restore-Request")


def members_only(bp: Blueprint) -> None:
    """Every page of `bp` needs a logged-in user; anyone else is sent to the login page with `next` set to where
    they were going (flask-login's own redirect). Membership of an organisation is checked by the services."""
    bp.before_request(login_required(_logged_in))


def _logged_in() -> None:
    """Nothing to add once logged in: returning None lets the request go on to its view."""


def me() -> User:
    """The logged-in user itself (not flask-login's proxy), as the services take it."""
    return current_user._get_current_object()


def fragment_wanted() -> bool:
    """True when htmx asks for a piece of a page. A history restore (htmx reloading an address it has no copy of)
    also comes from htmx but replaces the whole document, so it gets the whole page like a browser does."""
    if not g.get("_varies_on_htmx"):
        g._varies_on_htmx = True
        after_this_request(_vary_on_htmx)
    return bool(htmx) and not htmx.history_restore_request


def _vary_on_htmx(response):
    response.vary.update(FRAGMENT_HEADERS)
    return response


def show_once(key: str, value: dict) -> None:
    """Keep `value` (a one-time invitation link, say) for the next page that asks for `key`: a POST that made it
    redirects (so a reload cannot repeat the POST), and the page it redirects to shows it that one time. The
    session lives on the server, so the value never travels in a cookie or a URL."""
    session[f"once:{key}"] = value


def shown_once(key: str) -> dict | None:
    return session.pop(f"once:{key}", None)
