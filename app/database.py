"""Database set-up that does not belong to any one model."""

import sqlalchemy.exc as sa_exc
from sqlalchemy import event
from sqlalchemy.engine import Engine

# SQLSTATE of a write refused because the database (or the transaction) is read-only, as on a hot standby.
READ_ONLY_SQL_TRANSACTION = "25006"


def is_unavailable(error: BaseException) -> bool:
    """True for the errors that mean "the database cannot serve this now" (down, locked past the busy timeout,
    read-only) rather than a bug: they are answered 503, try again later, and nothing was written."""
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError)):
        return True
    return isinstance(error, sa_exc.DBAPIError) and getattr(error.orig, "sqlstate", None) == READ_ONLY_SQL_TRANSACTION


def enable_sqlite_wal(engine: Engine) -> None:
    """WAL lets readers work while one writer commits; foreign keys are off by default in SQLite."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL still survives a killed process (the OS has the data); only a power cut can lose the
        # last commits, and each commit skips an fsync.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
