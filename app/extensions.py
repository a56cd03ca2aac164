"""Flask extensions, created unbound and attached to the app in create_app()."""

from flask import current_app
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

from .evidence_files.storage import Storage
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


# Where evidence files are kept (evidence_files.storage.from_settings), chosen once when the app is created.
EVIDENCE_STORAGE_KEY = "clausewise.evidence_storage"


def evidence_storage() -> Storage:
    return current_app.extensions[EVIDENCE_STORAGE_KEY]
