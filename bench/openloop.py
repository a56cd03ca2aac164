"""An open-loop load generator: requests are sent on a fixed schedule whatever the server does, and each latency is
counted from the time the request was due, not from when it went out. A closed loop (clients that wait for each
answer before sending the next) slows down with the server, so its latency only restates its throughput; here a
server that falls behind builds a queue, and the queue shows in the latencies.

Plain Python, no Flask: `send` is any callable, so the scheduler itself can be tested against a fake server.
"""

from __future__ import annotations

import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


def poisson_schedule(rate: float, seconds: float, seed: int) -> list[float]:
    """When each request is due, in seconds from the start: independent arrivals at `rate` per second on average
    (many people each answering now and then), the same every run for a given seed."""
    rng = random.Random(seed)
    due, at = [], rng.expovariate(rate)
    while at < seconds:
        due.append(at)
        at += rng.expovariate(rate)
    return due


def even_schedule(rate: float, seconds: float) -> list[float]:
    return [n / rate for n in range(int(rate * seconds))]


@dataclass(frozen=True)
class Sent:
    """One request, its times in seconds from the start of the run."""

    due: float
    started: float
    finished: float
    ok: bool
    detail: str = ""  # what went wrong, when not ok

    @property
    def latency(self) -> float:
        """From when it was due: the wait for a free sender or a busy server counts."""
        return self.finished - self.due

    @property
    def lateness(self) -> float:
        """How late it went out: the generator's own delay, which must stay small for the figure to hold."""
        return self.started - self.due


@dataclass(frozen=True)
class Run:
    sent: list[Sent]

    @property
    def failures(self) -> list[Sent]:
        return [s for s in self.sent if not s.ok]

    def latencies(self) -> list[float]:
        return [s.latency for s in self.sent if s.ok]

    def achieved_rate(self) -> float:
        """Requests sent per second, from the first send to the last (compare with the schedule's rate)."""
        starts = sorted(s.started for s in self.sent)
        return (len(starts) - 1) / (starts[-1] - starts[0]) if len(starts) > 1 else 0.0

    def scheduled_rate(self) -> float:
        dues = sorted(s.due for s in self.sent)
        return (len(dues) - 1) / (dues[-1] - dues[0]) if len(dues) > 1 else 0.0


def percentile(values: list[float], p: int) -> float:
    """The p-th percentile (1..99) by the exclusive method, as statistics.quantiles computes it."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100)[p - 1]


def run_open_loop(
    schedule: list[float],
    send: Callable[[int], tuple[bool, str]],
    *,
    senders: int = 256,
    clock: Callable[[], float] = time.perf_counter,
) -> Run:
    """Send request n (send(n) -> (ok, detail)) at schedule[n] seconds from now, from a pool of `senders` threads,
    and return when every request has been answered. A request whose time has come waits for a free sender, and
    that wait is part of its latency; with enough senders the lateness of sends stays near zero."""
    start = clock()
    results: list[Sent | None] = [None] * len(schedule)
    following = iter(range(len(schedule)))
    lock = threading.Lock()

    def sender() -> None:
        while True:
            with lock:  # requests are taken in order: the earliest due goes to the first free sender
                n = next(following, None)
            if n is None:
                return
            wait = start + schedule[n] - clock()
            if wait > 0:
                time.sleep(wait)
            started = clock() - start
            try:
                ok, detail = send(n)
            except Exception as error:  # a refused connection or a timeout is a failed request, not a crash
                ok, detail = False, f"{type(error).__name__}: {error}"
            results[n] = Sent(schedule[n], started, clock() - start, ok, detail)

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(min(senders, len(schedule)))]
    # A sender whose time has come waits for the GIL up to the switch interval (5 ms by default) while another
    # thread reads its response: that would be the generator's lateness, not the server's.
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch_interval)
    return Run([r for r in results if r is not None])
