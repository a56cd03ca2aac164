"""Server-rendered SVG charts: the same markup in a page, an htmx fragment, a print and a PDF.

Plain Python returning markup strings (escaped here, then marked safe by the caller); no JavaScript, so charts look
the same in WeasyPrint and tests can read their attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 230
CHART_WIDTH = 640


def band(score: int | None) -> str:
    """A readiness band for colour and text (colour never carries the meaning alone)."""
    if score is None:
        return "unknown"
    if score >= 85:
        return "good"
    if score >= 60:
        return "fair"
    return "poor"


@dataclass(frozen=True)
class Bar:
    key: str  # clause or group id
    label: str
    score: int | None
    href: str = ""  # where clicking the bar leads (a drill-down), if anywhere


def readiness_bars(bars: list[Bar], *, title: str, element_id: str = "readiness-chart", hx_target: str = "") -> str:
    """Horizontal bars 0-100, one per clause group or clause; unassessed items are drawn as an empty outline.

    With `hx_target`, a bar that links somewhere also asks htmx to load that address into the target element (the
    plain link stays, for pages without JavaScript and for PDF readers)."""
    plot = CHART_WIDTH - LABEL_WIDTH - 50
    height = len(bars) * (BAR_HEIGHT + BAR_GAP) + 30
    rows = []
    for i, bar in enumerate(bars):
        y = 10 + i * (BAR_HEIGHT + BAR_GAP)
        width = 0 if bar.score is None else round(plot * bar.score / 100)
        value = "not assessed" if bar.score is None else f"{bar.score}"
        label = escape(bar.label)
        shape = (
            f'<rect class="bar bar-{band(bar.score)}" x="{LABEL_WIDTH}" y="{y}" width="{max(width, 1)}" '
            f'height="{BAR_HEIGHT}" data-key="{escape(bar.key)}" data-score="{"" if bar.score is None else bar.score}">'
            # Inside a link the title would be read out again after the label and value the bar shows.
            + ("" if bar.href else f"<title>{label}: {value}</title>")
            + "</rect>"
        )
        text = (
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 6}" text-anchor="end">{label}</text>'
            f'<text class="value" x="{LABEL_WIDTH + max(width, 1) + 6}" y="{y + BAR_HEIGHT - 6}">{value}</text>'
        )
        row = shape + text
        if bar.href:
            fetch = f' hx-get="{escape(bar.href)}" hx-target="{escape(hx_target)}"' if hx_target else ""
            # No aria-label: a link is named by the text it shows (the bar's label and value), as speech input
            # users say what they see.
            row = f'<a href="{escape(bar.href)}"{fetch}>{row}</a>'
        rows.append(row)
    axis_y = height - 14
    ticks = "".join(
        f'<text class="tick" x="{LABEL_WIDTH + round(plot * t / 100)}" y="{axis_y + 12}" '
        f'text-anchor="middle">{t}</text>'
        for t in (0, 50, 100)
    )
    # A chart of links is a group of links, not one picture: role="img" would hide them from assistive technology.
    role = "group" if any(bar.href for bar in bars) else "img"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(element_id)}" class="chart readiness" role="{role}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" height="{height}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(rows)}"
        f'<line class="axis" x1="{LABEL_WIDTH}" y1="{axis_y}" x2="{LABEL_WIDTH + plot}" y2="{axis_y}"/>{ticks}</svg>'
    )


@dataclass(frozen=True)
class Series:
    name: str
    points: list[tuple[str, int | None]]  # (the key of a Moment, value 0-100)


@dataclass(frozen=True)
class Moment:
    """A place on a trend chart's time axis: one assessment, named by a unique key, at the time it started."""

    key: str
    at: datetime


TREND_HEIGHT, TREND_LEFT, TREND_TOP, TREND_BOTTOM, TREND_RIGHT = 270, 40, 14, 50, 130
LEGEND_GAP = 14  # the least vertical distance between two series' names, about one line of 12px text
DATE_GAP, TIME_GAP = 78, 40  # the least horizontal distance between two date labels, between two time labels


def trend_lines(series: list[Series], *, moments: list[Moment], title: str, element_id: str = "trend-chart") -> str:
    """Readiness over time: one polyline per series; gaps where a value is missing.

    Assessments are spaced evenly in the order they started (the time between them varies too much to scale). The
    axis names each day once, under its assessments; a day with several adds each one's start time above the date,
    so two the same day are told apart. One assessment sits in the middle, not against the axis. Series are named in
    a column at the right, moved apart so that names of series ending at the same value do not overlap, each joined
    to its last point by a dotted leader."""
    width, height, left, top = CHART_WIDTH, TREND_HEIGHT, TREND_LEFT, TREND_TOP
    plot_w = width - left - TREND_RIGHT
    plot_h = height - TREND_BOTTOM - top
    inset = 12  # the first and last points stay clear of the y axis and of the names column
    place = {m.key: i for i, m in enumerate(moments)}

    def x(key: str) -> float:
        if len(moments) == 1:
            return left + plot_w / 2
        return left + inset + (plot_w - 2 * inset) * place[key] / (len(moments) - 1)

    def y(value: int) -> float:
        return top + plot_h * (1 - value / 100)

    days: dict[str, list[Moment]] = {}
    for moment in moments:
        days.setdefault(moment.at.strftime("%Y-%m-%d"), []).append(moment)

    def spoken(moment: Moment) -> str:
        day = moment.at.strftime("%Y-%m-%d")
        return f"{day} {moment.at.strftime('%H:%M')}" if len(days[day]) > 1 else day

    lines, last_points = [], []
    for index, s in enumerate(series):
        segments, current = [], []
        for key, value in s.points:
            if value is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append((x(key), y(value), value, key))
        if current:
            segments.append(current)
        for segment in segments:
            points = " ".join(f"{px:.1f},{py:.1f}" for px, py, _, _ in segment)
            lines.append(f'<polyline class="series series-{index}" points="{points}" data-series="{escape(s.name)}"/>')
            for px, py, value, key in segment:
                lines.append(
                    f'<circle class="point series-{index}" cx="{px:.1f}" cy="{py:.1f}" r="3.5" data-value="{value}">'
                    f"<title>{escape(s.name)}, {escape(spoken(moments[place[key]]))}: {value}</title></circle>"
                )
        if segments:
            px, py, _, _ = segments[-1][-1]
            last_points.append((index, s.name, px, py))
    axis_y = top + plot_h
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(element_id)}" class="chart trend" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<line class="axis" x1="{left}" y1="{axis_y}" x2="{left + plot_w}" y2="{axis_y}"/>'
        + "".join(
            f'<text class="tick" x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>' for v in (0, 50, 100)
        )
        + _time_axis(days, x, axis_y)
        + "".join(lines)
        + _legend(last_points, label_x=left + plot_w + 14, low=top + 4, high=axis_y + 4)
        + "</svg>"
    )


def _time_axis(days: dict[str, list[Moment]], x, axis_y: float) -> str:
    marks, times, dates = [], [], []
    for day, moments in days.items():
        for moment in moments:
            marks.append(x(moment.key))
            if len(moments) > 1:
                times.append((x(moment.key), moment.at.strftime("%H:%M")))
        dates.append((sum(x(m.key) for m in moments) / len(moments), day))
    out = [f'<line class="axis" x1="{m:.1f}" y1="{axis_y}" x2="{m:.1f}" y2="{axis_y + 4}"/>' for m in marks]
    time_y, date_y = axis_y + 16, axis_y + (32 if times else 16)
    for at, text in _spaced(times, TIME_GAP):
        out.append(f'<text class="tick time" x="{at:.1f}" y="{time_y}" text-anchor="middle">{text}</text>')
    for at, text in _spaced(dates, DATE_GAP):
        out.append(f'<text class="tick date" x="{at:.1f}" y="{date_y}" text-anchor="middle">{text}</text>')
    return "".join(out)


def _spaced(labels: list[tuple[float, str]], gap: float) -> list[tuple[float, str]]:
    """The labels that fit side by side, left to right; the last one (the latest) is always kept."""
    kept: list[tuple[float, str]] = []
    for label in reversed(labels):
        if not kept or kept[-1][0] - label[0] >= gap:
            kept.append(label)
    return kept[::-1]


def _legend(last_points: list[tuple[int, str, float, float]], *, label_x: float, low: float, high: float) -> str:
    """Each series' name beside the chart, level with its last point where there is room."""
    if not last_points:
        return ""
    ordered = sorted(last_points, key=lambda p: p[3])
    wanted = [py + 4 for _, _, _, py in ordered]
    placed = []
    for want in wanted:  # top to bottom, each at least a line below the one above
        placed.append(max(want, placed[-1] + LEGEND_GAP) if placed else max(want, low))
    overflow = placed[-1] - max(high, low + LEGEND_GAP * (len(placed) - 1))
    if overflow > 0:  # pushed out at the bottom: move the column up, keeping the gaps
        placed = [max(at - overflow, low + LEGEND_GAP * i) for i, at in enumerate(placed)]
    out = []
    for (index, name, px, py), at in zip(ordered, placed, strict=True):
        out.append(
            f'<line class="leader" x1="{px + 5:.1f}" y1="{py:.1f}" x2="{label_x - 4:.1f}" y2="{at - 4:.1f}"/>'
            f'<text class="legend series-{index}" x="{label_x:.1f}" y="{at:.1f}">{escape(name)}</text>'
        )
    return "".join(out)


SVG_STYLE = """
.chart text { font: 12px sans-serif; fill: #333; }
.chart .bar-good { fill: #1a7f37; } .chart .bar-fair { fill: #b45309; } .chart .bar-poor { fill: #b3261e; }
.chart .bar-unknown { fill: none; stroke: #888; stroke-dasharray: 3 2; }
.chart .axis, .chart .leader { stroke: #888; } .chart polyline { fill: none; stroke-width: 2; }
.chart .leader { stroke-width: 1; stroke-dasharray: 2 2; }
.chart .series-0 { stroke: #1d4ed8; fill: #1d4ed8; } .chart .series-1 { stroke: #b45309; fill: #b45309; }
.chart .series-2 { stroke: #1a7f37; fill: #1a7f37; } .chart .series-3 { stroke: #7c3aed; fill: #7c3aed; }
.chart .series-4 { stroke: #b3261e; fill: #b3261e; } .chart .series-5 { stroke: #0e7490; fill: #0e7490; }
.chart .series-6 { stroke: #4b5563; fill: #4b5563; } .chart polyline.series-0, .chart polyline.series-1,
.chart polyline.series-2, .chart polyline.series-3, .chart polyline.series-4, .chart polyline.series-5,
.chart polyline.series-6 { fill: none; } .chart text.legend { stroke: none; }
"""
