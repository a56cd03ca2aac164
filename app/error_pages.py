"""Error pages a person can act on: inside the layout, a heading that says what happened, the reason in a sentence
and what to do next. The JSON API answers the same errors in its own format (api.errors), unchanged."""

from __future__ import annotations

from flask import render_template

# What happened, in the reader's words, and what they can do about it. Codes not listed use werkzeug's name.
HEADINGS = {
    400: "This request could not be used",
    403: "You are not allowed to do this",
    404: "Page not found",
    405: "This address does not take that kind of request",
    409: "This changed in the meantime",
    413: "That was too large to upload",
    422: "Some of what was sent could not be used",
    429: "Too many attempts",
    500: "Something went wrong on our side",
    503: "Clausewise is briefly unavailable",
}
NEXT_STEPS = {
    400: "Go back, reload the page and try again.",
    403: "If you need it, ask an owner of the organisation to change your role.",
    404: "The address may be mistyped, or what it pointed to was deleted or belongs to another organisation.",
    409: "Reload the page to see the latest version, then make your change again.",
    413: "Send a smaller file, or split it into several.",
    429: "Wait a few minutes before trying again.",
    500: "The error was logged. Try again in a moment; if it keeps happening, tell the people who run Clausewise.",
    503: "Wait a moment and reload the page.",
}
CSRF_REASON = (
    "The form had expired or did not come from this site (its security token was missing or out of date), "
    "so nothing was saved."
)


def as_sentence(text: str | None) -> str:
    """Service messages are lowercase fragments ("no such assessment") shared with the JSON API; a page shows them
    as a sentence."""
    text = (text or "").strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else f"{text}."


def render_error_page(code: int, description: str | None, *, name: str = "", csrf: bool = False, offline=False):
    heading = HEADINGS.get(code) or name or "Something went wrong"
    reason = CSRF_REASON if csrf else as_sentence(description)
    page = render_template(
        "error.html",
        code=code,
        heading=heading,
        reason=reason,
        next_step=NEXT_STEPS.get(code, ""),
        offline=offline,
    )
    return page, code
