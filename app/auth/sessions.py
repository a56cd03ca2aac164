"""Server-side sessions in the database: the browser holds a random id, any worker or host can serve it."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from ..database import is_unavailable
from ..extensions import db
from ..models import WebSession
from ..models.base import utcnow
from ..services.accounts import token_hash

LIFETIME = timedelta(days=14)


class DatabaseSession(CallbackDict, SessionMixin):
    def __init__(self, initial=None, sid: str | None = None):
        def on_update(_self):
            _self.modified = True

        super().__init__(initial, on_update)
        self.unavailable = False  # the store could not be read: the request is answered 503
        self.saved = False
        self.sid = sid
        self.previous_sid: str | None = None
        self.modified = False

    def regenerate(self) -> None:
        """A new id after login, so an id planted before login is worthless (session fixation)."""
        if self.sid:
            self.previous_sid = self.sid
        self.sid = None
        self.modified = True


class DatabaseSessionInterface(SessionInterface):
    def open_session(self, app, request):
        sid = request.cookies.get(self.get_cookie_name(app))
        if sid:
            try:
                row = db.session.get(WebSession, token_hash(sid))
            except sa.exc.DBAPIError as error:
                if not is_unavailable(error):
                    raise
                db.session.rollback()
                session = DatabaseSession(sid=sid)
                session.unavailable = True
                return session
            if row is not None and row.expires_at > utcnow():
                return DatabaseSession(dict(row.data or {}), sid=sid)
        return DatabaseSession()

    def save_session(self, app, session: DatabaseSession, response):
        """Flask's own call, after the response is final: by then save_before_sending has done the work."""
        if session.unavailable or session.saved:
            return
        try:
            self._save(app, session, response)
        except sa.exc.DBAPIError as error:
            if not is_unavailable(error):
                raise
            app.logger.warning("session not saved: the database is unavailable")

    def save_before_sending(self, app, session: DatabaseSession, response) -> None:
        """Save while the response can still be replaced: a session that cannot be written (database locked or
        read-only) would leave the page's form with a CSRF token no session holds, and its post refused as a
        forgery; raised here, the caller answers 503 instead."""
        if session.unavailable or session.saved:
            return
        self._save(app, session, response)
        session.saved = True

    def _touches_store(self, app, session: DatabaseSession) -> bool:
        """Whether saving writes anything: a replaced id to delete, a session emptied (logout) or changed, a new
        one, or a cookie to refresh."""
        if session.previous_sid or (not session and session.sid):
            return True
        return bool(session) and (session.modified or session.sid is None or self.should_set_cookie(app, session))

    def _save(self, app, session: DatabaseSession, response):
        name = self.get_cookie_name(app)
        domain, path = self.get_cookie_domain(app), self.get_cookie_path(app)
        if not self._touches_store(app, session):
            # Most requests change nothing in the session: no connection for them (on PostgreSQL a check-out
            # costs a round trip to ping the server, on every request).
            return
        with db.engine.begin() as connection:
            if session.previous_sid:
                connection.execute(
                    sa.delete(WebSession.__table__).where(WebSession.id == token_hash(session.previous_sid))
                )
            if not session:
                if session.sid:
                    connection.execute(sa.delete(WebSession.__table__).where(WebSession.id == token_hash(session.sid)))
                    response.delete_cookie(name, domain=domain, path=path)
                return
            if not (session.modified or session.sid is None) and not self.should_set_cookie(app, session):
                return
            if session.sid is None:
                session.sid = secrets.token_urlsafe(32)
            key = token_hash(session.sid)
            expires = utcnow() + LIFETIME
            values = {"data": dict(session), "user_id": _user_id(session), "expires_at": expires}
            updated = connection.execute(sa.update(WebSession.__table__).where(WebSession.id == key).values(**values))
            if updated.rowcount == 0:
                connection.execute(sa.insert(WebSession.__table__).values(id=key, created_at=utcnow(), **values))
        response.set_cookie(
            name,
            session.sid,
            expires=expires,
            httponly=True,
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app) or "Lax",
            domain=domain,
            path=path,
        )


def _user_id(session) -> int | None:
    try:
        return int(session.get("_user_id")) if session.get("_user_id") else None
    except (TypeError, ValueError):
        return None
