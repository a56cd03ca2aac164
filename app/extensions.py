"""Flask extensions, created unbound and attached to the app in create_app()."""

from flask import current_app
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

from .knowledge.model import KnowledgeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
htmx = HTMX()
mail = Mail()

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Log in to see this page."
login_manager.session_protection = "basic"

# The knowledge base create_app() loaded, kept on the app so that every request, command and template sees one.
KB_KEY = "clausewise.kb"


def knowledge_base() -> KnowledgeBase:
    """The current app's knowledge base: the one way blueprints, services and templates reach it."""
    return current_app.extensions[KB_KEY]
