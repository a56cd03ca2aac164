"""Server-rendered SVG charts: the same markup in a page, an htmx fragment, a print and a PDF.

Plain Python returning markup strings (escaped here, then marked safe by the caller); no JavaScript, so charts look
the same in WeasyPrint and tests can read their attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    points: list[tuple[str, int | None]]  # (label such as a date, value 0-100)


def trend_lines(series: list[Series], *, title: str, element_id: str = "trend-chart") -> str:
    """Readiness over time: one polyline per series; gaps where a value is missing."""
    labels = list(dict.fromkeys(label for s in series for label, _ in s.points))
    width, height, left, bottom, top = CHART_WIDTH, 260, 40, 40, 14
    plot_w = width - left - 120
    plot_h = height - bottom - top

    def x(label: str) -> float:
        return left + (plot_w * labels.index(label) / max(len(labels) - 1, 1))

    def y(value: int) -> float:
        return top + plot_h * (1 - value / 100)

    lines = []
    for index, s in enumerate(series):
        segments, current = [], []
        for label, value in s.points:
            if value is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append((x(label), y(value), value, label))
        if current:
            segments.append(current)
        for segment in segments:
            points = " ".join(f"{px:.1f},{py:.1f}" for px, py, _, _ in segment)
            lines.append(f'<polyline class="series series-{index}" points="{points}" data-series="{escape(s.name)}"/>')
            for px, py, value, label in segment:
                lines.append(
                    f'<circle class="point series-{index}" cx="{px:.1f}" cy="{py:.1f}" r="3.5" data-value="{value}">'
                    f"<title>{escape(s.name)}, {escape(label)}: {value}</title></circle>"
                )
        last = next((p for p in reversed(s.points) if p[1] is not None), None)
        if last:
            lines.append(
                f'<text class="legend series-{index}" x="{x(last[0]) + 8:.1f}" y="{y(last[1]) + 4:.1f}">'
                f"{escape(s.name)}</text>"
            )
    axis = (
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"/>'
        + "".join(
            f'<text class="tick" x="{x(label):.1f}" y="{top + plot_h + 16}" text-anchor="middle">{escape(label)}</text>'
            for label in labels
        )
        + "".join(
            f'<text class="tick" x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>' for v in (0, 50, 100)
        )
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(element_id)}" class="chart trend" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{axis}{''.join(lines)}</svg>"
    )


SVG_STYLE = """
.chart text { font: 12px sans-serif; fill: #333; }
.chart .bar-good { fill: #1a7f37; } .chart .bar-fair { fill: #b45309; } .chart .bar-poor { fill: #b3261e; }
.chart .bar-unknown { fill: none; stroke: #888; stroke-dasharray: 3 2; }
.chart .axis { stroke: #888; } .chart polyline { fill: none; stroke-width: 2; }
.chart .series-0 { stroke: #1d4ed8; fill: #1d4ed8; } .chart .series-1 { stroke: #b45309; fill: #b45309; }
.chart .series-2 { stroke: #1a7f37; fill: #1a7f37; } .chart .series-3 { stroke: #7c3aed; fill: #7c3aed; }
.chart .series-4 { stroke: #b3261e; fill: #b3261e; } .chart .series-5 { stroke: #0e7490; fill: #0e7490; }
.chart .series-6 { stroke: #4b5563; fill: #4b5563; } .chart polyline.series-0, .chart polyline.series-1,
.chart polyline.series-2, .chart polyline.series-3, .chart polyline.series-4, .chart polyline.series-5,
.chart polyline.series-6 { fill: none; } .chart text.legend { stroke: none; }
"""
