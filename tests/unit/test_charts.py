"""The SVG trend chart's layout: where points, axis labels and series names land (read back from the markup)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

from app.formats.charts import (
    CHART_WIDTH,
    DATE_GAP,
    LEGEND_GAP,
    SVG_STYLE,
    TREND_HEIGHT,
    TREND_LEFT,
    TREND_RIGHT,
    Moment,
    Series,
    trend_lines,
)

SVG = "{http://www.w3.org/2000/svg}"
START = datetime(2026, 3, 2, 9, 0)


def chart(series: list[Series], moments: list[Moment]) -> ET.Element:
    return ET.fromstring(trend_lines(series, moments=moments, title="Readiness"))


def texts(svg: ET.Element, cls: str) -> list[ET.Element]:
    return [t for t in svg.iter(f"{SVG}text") if cls in t.get("class", "").split()]


def daily(count: int) -> list[Moment]:
    return [Moment(f"a{i}", START + timedelta(days=30 * i)) for i in range(count)]


def test_one_assessment_sits_in_the_middle_of_the_chart_not_against_the_axis():
    moments = daily(1)
    groups = [Series(f"{n} Group", [("a0", 20 + 10 * n)]) for n in range(4, 11)]
    svg = chart(groups, moments)
    xs = {float(c.get("cx")) for c in svg.iter(f"{SVG}circle")}
    middle = TREND_LEFT + (CHART_WIDTH - TREND_LEFT - TREND_RIGHT) / 2
    assert xs == {middle}
    assert [t.text for t in texts(svg, "date")] == ["2026-03-02"]


def test_assessments_on_one_day_are_told_apart_by_their_start_time_under_a_single_date():
    moments = [Moment(f"2026-03-02 #{i}", START + timedelta(minutes=25 * i)) for i in range(3)]
    svg = chart([Series("Overall", [(m.key, 40 + i) for i, m in enumerate(moments)])], moments)
    assert [t.text for t in texts(svg, "date")] == ["2026-03-02"]
    assert [t.text for t in texts(svg, "time")] == ["09:00", "09:25", "09:50"]
    date, times = texts(svg, "date")[0], texts(svg, "time")
    assert float(date.get("y")) > float(times[0].get("y"))  # the date is a line below the times, not on them
    assert float(date.get("x")) == float(times[1].get("x"))  # and centred under its assessments
    titles = [c.find(f"{SVG}title").text for c in svg.iter(f"{SVG}circle")]
    assert titles == ["Overall, 2026-03-02 09:00: 40", "Overall, 2026-03-02 09:25: 41", "Overall, 2026-03-02 09:50: 42"]


def test_a_day_with_one_assessment_shows_no_time():
    svg = chart([Series("Overall", [("a0", 10), ("a1", 60)])], daily(2))
    assert texts(svg, "time") == []
    assert [t.text for t in texts(svg, "date")] == ["2026-03-02", "2026-04-01"]


def test_date_labels_never_overlap_and_the_latest_is_always_shown():
    moments = daily(24)
    svg = chart([Series("Overall", [(m.key, 50) for m in moments])], moments)
    dates = texts(svg, "date")
    xs = [float(t.get("x")) for t in dates]
    assert all(b - a >= DATE_GAP for a, b in zip(xs, xs[1:], strict=False))
    assert 3 <= len(dates) < 24 and dates[-1].text == moments[-1].at.strftime("%Y-%m-%d")


def test_series_ending_at_the_same_value_get_names_a_line_apart_inside_the_chart():
    moments = daily(3)
    groups = [Series(f"{n} Group", [(m.key, 50) for m in moments]) for n in range(4, 11)]
    svg = chart(groups, moments)
    names = texts(svg, "legend")
    ys = sorted(float(t.get("y")) for t in names)
    assert len(names) == 7
    assert all(b - a >= LEGEND_GAP for a, b in zip(ys, ys[1:], strict=False))
    assert ys[0] > 0 and ys[-1] <= TREND_HEIGHT
    leaders = list(svg.iter(f"{SVG}line"))
    assert sum("leader" in line.get("class", "") for line in leaders) == 7  # each name points at its line


def test_names_pushed_past_the_bottom_move_up_and_keep_their_spacing():
    moments = daily(2)
    groups = [Series(f"{n} Group", [(m.key, 0) for m in moments]) for n in range(7)]
    ys = sorted(float(t.get("y")) for t in texts(chart(groups, moments), "legend"))
    assert all(b - a >= LEGEND_GAP for a, b in zip(ys, ys[1:], strict=False))
    assert ys[-1] <= TREND_HEIGHT - 30  # above the axis labels


def test_a_series_missing_its_last_value_is_named_at_its_last_point():
    moments = daily(3)
    svg = chart([Series("5 Leadership", [("a0", 30), ("a1", 70), ("a2", None)])], moments)
    leader = next(line for line in svg.iter(f"{SVG}line") if "leader" in line.get("class", ""))
    second = [c for c in svg.iter(f"{SVG}circle")][-1]
    assert float(leader.get("x1")) == float(second.get("cx")) + 5
    assert float(leader.get("y1")) == float(second.get("cy"))


def test_chart_markup_carries_no_colour_of_its_own():
    # Colours come from the stylesheet (the page's, which has a dark scheme, or SVG_STYLE in a PDF): a fill or
    # stroke written on an element would stay dark grey on a dark page.
    moments = daily(2)
    markup = trend_lines([Series("Overall", [("a0", 10), ("a1", 60)])], moments=moments, title="Readiness")
    assert "fill=" not in markup and "stroke=" not in markup and "style=" not in markup
    assert ".chart text" in SVG_STYLE
