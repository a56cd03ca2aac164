from __future__ import annotations

from flask import render_template, request
from markupsafe import Markup

from ..extensions import knowledge_base
from ..formats.charts import Moment, Series, trend_lines
from ..services import progress as progress_service
from ..web import fragment_wanted, me, members_only
from . import bp

members_only(bp)  # tenancy is checked by the services


@bp.get("/organisations/<int:organisation_id>/progress")
def organisation(organisation_id: int):
    progress = progress_service.progress_of(me(), organisation_id)
    return render_template(
        "progress/page.html",
        progress=progress,
        charts=trend_charts(progress),
        questionnaires=knowledge_base().questionnaires.values(),
    )


def short_name(group) -> str:
    """A legend that fits beside the chart: "4 Context", "9 Performance"."""
    return f"{group.id} {group.title.split()[0]}"


def trend_charts(progress: progress_service.Progress) -> dict[str, Markup]:
    charted = progress.charted
    if not charted:
        return {}
    moments = [Moment(e.label, e.started_at) for e in charted]
    overall = Series("Overall", [(e.label, e.readiness) for e in charted])
    groups = [
        Series(short_name(g), [(e.label, progress.group_scores[e.id].get(g.id)) for e in charted])
        for g in progress.groups
    ]
    return {
        "overall": Markup(
            trend_lines([overall], moments=moments, title="Overall readiness over time", element_id="trend-overall")
        ),
        "groups": Markup(
            trend_lines(
                groups, moments=moments, title="Readiness per clause group over time", element_id="trend-groups"
            )
        ),
    }


@bp.get("/portfolio")
def portfolio():
    try:
        page = int(request.args.get("page", 1))
    except ValueError:
        page = 1
    result = progress_service.portfolio(
        me(),
        search=request.args.get("q", ""),
        sort=request.args.get("sort", "name"),
        direction=request.args.get("dir", "asc"),
        page=page,
    )
    template = "progress/_portfolio_table.html" if fragment_wanted() else "progress/portfolio.html"
    return render_template(template, portfolio=result)
