"""The open-loop load generator of `make bench` (bench/openloop.py): sends keep their schedule whatever the server
does, and latency counts from when a request was due, so a server that falls behind shows it."""

from __future__ import annotations

import threading
import time

from bench.openloop import even_schedule, percentile, poisson_schedule, run_open_loop


def slow_server(seconds: float):
    """A server that answers one request at a time, each taking `seconds`."""
    lock = threading.Lock()

    def send(n: int) -> tuple[bool, str]:
        with lock:
            time.sleep(seconds)
        return True, ""

    return send


def test_a_server_slower_than_the_schedule_shows_growing_latencies():
    # 100 requests/s for a server that does 50: each request waits for all those queued before it.
    run = run_open_loop(even_schedule(100, 0.4), slow_server(0.02))
    latencies = run.latencies()
    assert len(latencies) == 40
    first, last = latencies[:5], latencies[-5:]
    assert max(first) < 0.1
    assert min(last) > 0.25  # ~40 x 20 ms of work queued behind 0.4 s of arrivals
    # A closed loop would have measured 20 ms each time; the sends themselves still went out on time.
    assert percentile([s.lateness for s in run.sent], 99) < 0.05


def test_a_fast_enough_server_shows_its_own_time_only():
    run = run_open_loop(even_schedule(50, 0.4), slow_server(0.005))
    assert max(run.latencies()) < 0.05
    assert abs(run.achieved_rate() - 50) < 10


def test_latency_counts_from_the_due_time_not_the_send_time():
    # One sender, as a closed loop of one client would be: each send takes 20 ms, as that loop would report,
    # but requests fall further behind their schedule, and the open-loop latency says so.
    run = run_open_loop(even_schedule(100, 0.3), slow_server(0.02), senders=1)
    assert all(s.finished - s.started < 0.05 for s in run.sent)
    assert run.sent[-1].latency > 0.25
    assert run.sent[-1].lateness > 0.2  # and the report shows the generator could not keep up


def test_failures_are_counted_not_raised():
    def send(n: int):
        if n == 1:
            raise ConnectionRefusedError("refused")
        return n != 2, "422" if n == 2 else ""

    run = run_open_loop(even_schedule(200, 0.02), send)
    assert [s.detail for s in run.failures] == ["ConnectionRefusedError: refused", "422"]
    assert len(run.latencies()) == 2


def test_poisson_arrivals_are_the_same_for_a_seed_and_keep_the_rate():
    schedule = poisson_schedule(60, 100, seed=7)
    assert schedule == poisson_schedule(60, 100, seed=7)
    assert schedule != poisson_schedule(60, 100, seed=8)
    assert 5400 < len(schedule) < 6600
    assert schedule == sorted(schedule) and schedule[0] > 0 and schedule[-1] < 100
