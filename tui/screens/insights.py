"""Insights: pictures of what fails and what was learned (the figures of
``assistant learned report``, from the same ``LearningService.insights``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Label, Sparkline, Static

from assistant.learn.failures import STAGE_NAMES, STAGES
from tui.screens.base import AssistantScreen

if TYPE_CHECKING:
    from assistant.learn.insights import Insights

DAYS = 14


class InsightsScreen(AssistantScreen):
    """Failures per day by stage, the defect rate with and without learning, rewrites, offers."""

    CSS_PATH = "insights.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.figures: Insights | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="insights-body"):
            yield Static("", id="insights-summary")
            yield Label("Defect rate per day: as it was, and without what was learned", classes="section")
            with Horizontal(classes="chart-row"):
                yield Label("with learning   ", classes="chart-label")
                yield Sparkline([], id="rate-with", summary_function=max)
            with Horizontal(classes="chart-row"):
                yield Label("without learning", classes="chart-label")
                yield Sparkline([], id="rate-without", summary_function=max)
            yield Label("Failures per day, by the stage that failed", classes="section")
            with Vertical(id="stage-charts"):
                for stage in STAGES:
                    with Horizontal(classes="chart-row"):
                        yield Label(f"{STAGE_NAMES[stage]:<22}", classes="chart-label")
                        yield Sparkline([], id=f"stage-{stage}", summary_function=max)
            yield Label("Learned rewrites: wins and losses", classes="section")
            yield DataTable(id="rewrites-table", cursor_type="row", zebra_stripes=True)
            yield Label("Routines, suggestions and questions: offered, accepted, declined", classes="section")
            yield DataTable(id="offers-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#rewrites-table", DataTable).add_columns(
            "When you say", "It understands", "Does", "Status", "Wins", "Losses"
        )
        self.query_one("#offers-table", DataTable).add_columns("Kind", "Offered", "Accepted", "Declined")

    def refresh_data(self) -> None:
        learning = self.assistant.learning
        self.background(lambda: learning.insights(DAYS), self.show, action="Reading what was learned")

    def show(self, figures: Insights) -> None:
        self.figures = figures
        self.query_one("#insights-summary", Static).update(
            f"Last {len(figures.days)} days: {figures.requests} requests; "
            f"{figures.rate():.0%} went wrong, {figures.rate(without_learning=True):.0%} would have "
            "without what was learned."
        )
        self.query_one("#rate-with", Sparkline).data = [day.defect_rate for day in figures.days]
        self.query_one("#rate-without", Sparkline).data = [
            day.defect_rate_without_learning for day in figures.days
        ]
        for stage in STAGES:
            self.query_one(f"#stage-{stage}", Sparkline).data = [
                float(day.failures_by_stage.get(stage, 0)) for day in figures.days
            ]
        rewrites = self.query_one("#rewrites-table", DataTable)
        rewrites.clear()
        for rewrite in figures.rewrites:
            rewrites.add_row(
                rewrite.source,
                rewrite.target,
                rewrite.intent or "",
                rewrite.status,
                str(rewrite.wins),
                str(rewrite.losses),
                key=str(rewrite.id),
            )
        offers = self.query_one("#offers-table", DataTable)
        offers.clear()
        for offer in figures.offers:
            offers.add_row(
                offer.kind.replace("_", " "), str(offer.offered), str(offer.accepted), str(offer.declined)
            )
