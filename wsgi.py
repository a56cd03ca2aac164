"""WSGI entry point: `gunicorn wsgi:app`."""

import gc
import sys

from app.factory import create_app
from app.knowledge.errors import KnowledgeBaseInvalid

try:
    app = create_app()
except KnowledgeBaseInvalid as error:
    # Whoever deploys reads this in the server's log: every problem at once, not a traceback with the first.
    print(f"Clausewise refuses to start: the knowledge base is invalid.\n{error.report()}", file=sys.stderr)
    # 3 is gunicorn's "worker failed to boot": the master stops instead of restarting workers that cannot start.
    raise SystemExit(3) from None
# The loaded knowledge base is hundreds of thousands of objects that live as long as the process: left to the
# cyclic garbage collector, every full collection walks them all (about 100 ms, a stall some request pays).
# Frozen, the collector skips them; with gunicorn's --preload the workers also share them without copying them.
gc.freeze()
