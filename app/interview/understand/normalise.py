"""One form of the typed text for every reader: quotes, dashes, spaces, case."""

from __future__ import annotations

import re
import unicodedata


def tidy(text: str) -> str:
    """One spelling of quotes, dashes and spaces, so every rule below deals with one form only."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"[‘’ʼ`´]", "'", text)
    text = re.sub(r"[“”„«»]", '"', text)
    text = re.sub(r"[–—−]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def plain_text(text: str) -> str:
    """Lower case words and digits only. Apostrophes go, so "don't" and "dont" are one word; "/" stays for n/a."""
    text = text.lower().replace("'", "")
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9/ ]", " ", text)).strip()


def phrase_regex(phrases) -> re.Pattern[str]:
    """Whole phrases of plain text, longest first so "not sure" wins over "not" and "sure" at the same place."""
    ordered = sorted({plain_text(p) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9/])(?:" + "|".join(re.escape(p) for p in ordered) + r")(?![a-z0-9/])")
