"""Database set-up that does not belong to any one model."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


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
