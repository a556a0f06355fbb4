"""The Insights screen in the real app: pictures of what failed and what was learned."""

from __future__ import annotations

from textual.widgets import DataTable, Sparkline, Static

from assistant.config import Home
from tests.tui.helpers import make_app, running, started, wait_for
from tui.screens.insights import InsightsScreen


async def test_insights_show_failures_defect_rates_and_the_rewrites_learned(home: Home) -> None:
    app = make_app(home, timers=False)
    async with app.run_test(size=(120, 60)) as pilot:
        await started(pilot)
        assistant = running(app)
        for text in ("give me a shout in ten", "set a timer for ten minutes", "give me a shout in 3", "yes"):
            assistant.handle_text(text, "insights")
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, InsightsScreen))
        screen = app.screen
        assert isinstance(screen, InsightsScreen)
        await wait_for(pilot, lambda: screen.figures is not None)
        rewrites = screen.query_one("#rewrites-table", DataTable)
        await wait_for(pilot, lambda: rewrites.row_count == 1)
        assert rewrites.get_row_at(0)[:4] == [
            "give me a shout in {minutes}",
            "set a timer for {minutes} minutes",
            "timer.set",
            "confirmed",
        ]
        # two failed requests today ("give me a shout in ten", then the question), both understanding
        understanding = screen.query_one("#stage-understanding", Sparkline)
        assert list(understanding.data or [])[-1] == 2
        # the request the confirmed rewrite carried out would have failed without it
        with_learning = list(screen.query_one("#rate-with", Sparkline).data or [])
        without = list(screen.query_one("#rate-without", Sparkline).data or [])
        assert without[-1] > with_learning[-1]
        summary = str(screen.query_one("#insights-summary", Static).render())
        assert "requests" in summary and "without what was learned" in summary
        offers = screen.query_one("#offers-table", DataTable)
        kinds = {
            offers.get_row_at(index)[0]: offers.get_row_at(index)[1:] for index in range(offers.row_count)
        }
        assert kinds["did you mean"] == ["1", "1", "0"]
