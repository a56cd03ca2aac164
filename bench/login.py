"""Login timing: a wrong password for an existing account against an e-mail nobody has, side by side.

The two must cost the same, or the time of a failed login tells an attacker which e-mails have accounts.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

ROUNDS = 12


def login_line() -> str:
    import sqlalchemy as sa

    from app.extensions import db
    from app.factory import create_app
    from app.models import LoginFailure
    from app.services import accounts

    with tempfile.TemporaryDirectory(prefix="clausewise-bench-") as folder:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'login.sqlite3'}"})
        with app.app_context():
            db.create_all()
            accounts.create_user("known@example.com", "the right password")
            known, unknown = [], []
            # Alternating, each from its own address so the throttle never answers instead of the password check.
            for round_ in range(ROUNDS):
                for email, times in (("known@example.com", known), ("nobody@example.com", unknown)):
                    start = time.perf_counter()
                    assert accounts.authenticate(email, "a wrong password", f"192.0.2.{round_}") is None
                    times.append((time.perf_counter() - start) * 1000)
                    db.session.execute(sa.delete(LoginFailure))  # keep the throttle out of the figure
                    db.session.commit()
            db.session.remove()
            db.engine.dispose()
    wrong, nobody = statistics.median(known), statistics.median(unknown)
    return f"login: unknown e-mail {nobody:.0f} ms vs wrong password {wrong:.0f} ms (ratio {nobody / wrong:.2f})"
