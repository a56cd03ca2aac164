"""`{% cache %}` for templates: a fragment rendered once per key and then reused.

    {% cache "finding-header", report.kb_version, report.questionnaire.id, f.id %} ... {% endcache %}

Only for fragments that are a function of their key. The knowledge base version is a digest of its files, so the
text a knowledge base gives a finding or a clause (title, practices, evidence, records) is fixed by the version and
the id: a long results page need not render it again for every request. Anything else the body reads (the user,
the answers, the request) would be frozen at its first rendering, so it must stay outside the block or in the key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

SIZE = 4096  # fragments kept, least recently used first out: a few knowledge base versions of every finding


class Fragments:
    """Rendered markup by key, the least recently used first out; shared by the threads of one app."""

    def __init__(self, size: Callable[[], int]) -> None:
        self._size = size  # read at each store, so a test can shrink it
        self._fragments: OrderedDict[tuple[Hashable, ...], Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Hashable, ...], render: Callable[[], Markup]) -> Markup:
        with self._lock:
            if key in self._fragments:
                self._fragments.move_to_end(key)
                return self._fragments[key]
        # Rendered outside the lock: two requests that miss together both render it, and store the same markup.
        fragment = render()
        with self._lock:
            self._fragments[key] = fragment
            while len(self._fragments) > self._size():
                self._fragments.popitem(last=False)
        return fragment


class FragmentCache(Extension):
    tags = {"cache"}

    def __init__(self, environment) -> None:
        super().__init__(environment)
        self._fragments = Fragments(lambda: SIZE)

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        call = self.call_method("_fragment", [nodes.Tuple(key, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _fragment(self, key: tuple[Hashable, ...], caller: Callable[[], Markup]) -> Markup:
        return self._fragments.get(key, caller)
