"""{% cache %}: a fragment is rendered once per key, escaped as any other output, and evicted when too many."""

from __future__ import annotations

from jinja2 import Environment

from app import fragment_cache
from app.fragment_cache import FragmentCache

TEMPLATE = '{% cache "greeting", version, name %}<b>{{ name }}</b> {{ count() }}{% endcache %}'


def render(env: Environment, **context) -> str:
    return env.from_string(TEMPLATE).render(**context)


def counting_env() -> tuple[Environment, list[int]]:
    env = Environment(autoescape=True, extensions=[FragmentCache])
    calls: list[int] = []
    env.globals["count"] = lambda: calls.append(1) or len(calls)
    return env, calls


def test_a_fragment_is_rendered_once_per_key_and_reused():
    env, calls = counting_env()
    assert render(env, version="v1", name="Ada") == "<b>Ada</b> 1"
    assert render(env, version="v1", name="Ada") == "<b>Ada</b> 1"  # reused: the body did not run again
    assert render(env, version="v1", name="Bo") == "<b>Bo</b> 2"
    assert render(env, version="v2", name="Ada") == "<b>Ada</b> 3"  # another version is another fragment
    assert len(calls) == 3


def test_cached_output_is_escaped_like_any_other():
    env, _ = counting_env()
    html = '<script>alert("x")</script>'
    for _ in range(2):
        assert render(env, version="v1", name=html) == "<b>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</b> 1"


def test_the_least_recently_used_fragment_goes_first(monkeypatch):
    monkeypatch.setattr(fragment_cache, "SIZE", 2)
    env, calls = counting_env()
    render(env, version="v1", name="a")
    render(env, version="v1", name="b")
    render(env, version="v1", name="a")  # a is now the most recently used
    render(env, version="v1", name="c")  # b goes
    assert len(calls) == 3
    render(env, version="v1", name="a")
    assert len(calls) == 3
    render(env, version="v1", name="b")
    assert len(calls) == 4
