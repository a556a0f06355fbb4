"""Help: the keys, and "what can I say" from the skills' own examples."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.screens.base import AssistantHost

if TYPE_CHECKING:
    from assistant.core import Assistant

KEYS: list[tuple[str, str]] = [
    ("F1", "this help"),
    ("F2", "Talk: the conversation and the typed input"),
    ("F3", "Teach: commands, aliases, preferences"),
    ("F4", "Memory: everything taught and learned; undo; export/import"),
    ("F5", "History: past turns and why each went that way"),
    ("F6", "Plug-ins & settings"),
    ("F7", "Insights: what failed and what was learned, per day"),
    ("Ctrl+P", "command palette"),
    ("Ctrl+T", "light / dark theme"),
    ("Ctrl+Q", "quit"),
    ("", ""),
    ("Ctrl+Y", "Talk: why did you do that? (the last turn's trace)"),
    ("Ctrl+S", "Teach, settings: save what is being edited"),
    ("Ctrl+N", "Teach: a new, empty command"),
    ("Ctrl+R", "Teach: check the steps · History: reload"),
    ("Ctrl+G", "Teach: try a phrase (what it would do, without doing it)"),
    ("Ctrl+F", "Memory, History: search"),
    ("Ctrl+O", "Memory: edit the selected item in Teach"),
    ("Delete", "Memory: delete the selected item"),
    ("Ctrl+L", "Memory: keep a learned rewording for good"),
    ("Ctrl+Z", "Memory: undo the selected change (the newest if none)"),
]


def keys_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for key, meaning in KEYS:
        table.add_row(key, meaning)
    return table


def what_can_i_say(assistant: Assistant | None) -> Group | Text:
    """Each skill's intents with a description and an example, from the skills themselves.

    Per skill, a grid: the examples on the left, what they do on the right,
    so long lines wrap inside their own column, indented under the skill.
    """
    if assistant is None:
        return Text("The assistant is still starting; examples appear once it runs.", style="dim")
    parts: list[RenderableType] = []
    for skill in sorted(
        assistant.skills.skills(), key=lambda skill: (skill.source != "built-in", skill.name)
    ):
        title = skill.name if skill.source == "built-in" else f"{skill.name} (plug-in {skill.source})"
        parts.append(Text(f"\n{title}", style="bold underline"))
        table = Table.grid(padding=(0, 2), expand=True)  # the same columns for every skill
        table.add_column(ratio=3)
        table.add_column(ratio=2, style="dim")
        for spec in skill.intents:
            examples = assistant.skills.examples(spec.name, 2)
            line = " · ".join(f"“{example}”" for example in examples) or spec.name
            table.add_row(Text(line), spec.description or "")
        parts.append(Padding(table, (0, 0, 0, 2)))
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """Keys and example requests; Escape closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 90; max-width: 95%; height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    HelpScreen VerticalScroll { height: 1fr; }
    HelpScreen .heading { text-style: bold; color: $accent; margin-top: 1; }
    HelpScreen #help-close { color: $text-muted; dock: bottom; height: 1; }
    """
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("f1", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        host = self.app
        assistant = host.assistant if isinstance(host, AssistantHost) else None
        with Vertical() as box:
            box.border_title = "Help"
            with VerticalScroll():
                yield Static("Keys", classes="heading")
                yield Static(keys_table())
                yield Static("What can I say?", classes="heading")
                yield Static(
                    "Type these on the Talk screen, or say them after the wake word. "
                    "Teach (F3) adds your own.",
                    classes="dim",
                )
                yield Static(what_can_i_say(assistant), id="what-can-i-say")
            yield Static("Escape closes this help.", id="help-close")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
