"""Database set-up that does not belong to any one model."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


def enable_sqlite_wal(engine: Engine) -> None:
    """WAL lets readers work while one writer commits; foreign keys are off by default in SQLite."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
