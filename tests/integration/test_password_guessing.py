"""Guessing passwords: the limit holds under concurrent guesses, and timing does not tell which e-mails exist."""

from __future__ import annotations

import threading
import time

import pytest

from app.extensions import db
from app.models import User
from app.models import accounts as account_models
from app.services import accounts

from .. import factories

GUESSES_AT_ONCE = 8


def test_concurrent_guesses_get_no_more_password_checks_than_the_limit(db_app, monkeypatch):
    with db_app.app_context():
        email = factories.user().email
    checked = []
    real_check = User.check_password

    def slow_check(self, password):
        # Long enough that every guess has passed the count before the first one is recorded as failed, which is
        # when counting first and writing afterwards let all of them through.
        checked.append(password)
        time.sleep(0.3)
        return real_check(self, password)

    monkeypatch.setattr(User, "check_password", slow_check)
    outcomes: list[str] = []
    start = threading.Barrier(GUESSES_AT_ONCE)

    def guess(number: int):
        with db_app.app_context():
            start.wait()
            try:
                user = accounts.authenticate(email, f"guess number {number}", "198.51.100.7")
            except accounts.TooManyAttempts:
                outcomes.append("refused")
            else:
                outcomes.append("wrong" if user is None else "in")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(GUESSES_AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) <= accounts.MAX_FAILURES_PER_EMAIL
    assert outcomes.count("wrong") == len(checked)
    assert outcomes.count("refused") == GUESSES_AT_ONCE - len(checked)
    with db_app.app_context():  # the wrong guesses are on record, the refused ones are not
        assert accounts.count_attempts(f"email:{email}") == len(checked)


def test_a_refused_attempt_does_not_count_as_a_guess(db_app):
    with db_app.app_context():
        email = factories.user().email
        for _ in range(accounts.MAX_FAILURES_PER_EMAIL):
            assert accounts.authenticate(email, "wrong password!", "198.51.100.8") is None
        for _ in range(3):
            with pytest.raises(accounts.TooManyAttempts):
                accounts.authenticate(email, factories.PASSWORD, "198.51.100.8")
        assert accounts.count_attempts(f"email:{email}") == accounts.MAX_FAILURES_PER_EMAIL


def test_a_successful_login_leaves_no_attempt_behind(db_app):
    with db_app.app_context():
        email = factories.user().email
        assert accounts.authenticate(email, "wrong password!", "198.51.100.9") is None
        assert accounts.authenticate(email, factories.PASSWORD, "198.51.100.9") is not None
        assert accounts.count_attempts(f"email:{email}") == 0
        assert accounts.count_attempts("addr:198.51.100.9") == 1  # the wrong guess, not the login


@pytest.mark.parametrize("account", ["unknown", "disabled", "wrong password"])
def test_every_failed_login_costs_one_password_hash_check(db_app, monkeypatch, account):
    with db_app.app_context():
        user = factories.user()
        email = user.email
        if account == "unknown":
            email = "nobody-here@example.com"
        elif account == "disabled":
            user.active = False
            db.session.commit()
        checks = []
        real = account_models.check_password_hash
        monkeypatch.setattr(
            account_models,
            "check_password_hash",
            lambda hashed, password: checks.append(hashed) or real(hashed, password),
        )
        assert accounts.authenticate(email, "wrong password!", "198.51.100.10") is None
        assert len(checks) == 1
        # Made as a real password's hash is, so the check costs the same.
        assert checks[0].split("$")[0] == user.password_hash.split("$")[0]
