"""The read-only knowledge-base browser: clauses with their questions, rules and practices."""

from flask import Blueprint

bp = Blueprint("kb", __name__)

from . import views  # noqa: E402,F401  (routes register themselves on bp)
