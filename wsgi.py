"""WSGI entry point: `gunicorn wsgi:app`."""

import gc

from app.factory import create_app

app = create_app()
# The loaded knowledge base is hundreds of thousands of objects that live as long as the process: left to the
# cyclic garbage collector, every full collection walks them all (about 100 ms, a stall some request pays).
# Frozen, the collector skips them; with gunicorn's --preload the workers also share them without copying them.
gc.freeze()
