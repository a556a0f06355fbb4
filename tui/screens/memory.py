"""Memory: everything taught and learned, searchable; edit, delete, undo, export and import."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, DataTable, Footer, Header, Input, Label, Static

from assistant.memory.teaching_records import Change
from tui.messages import EditTaught
from tui.screens.base import AssistantScreen
from tui.widgets.tables import selected_key

if TYPE_CHECKING:
    from assistant.core import Assistant
    from assistant.memory.export import ImportReport
    from assistant.memory.learned import Rewrite

KIND_LABELS = {"command": "Command", "alias": "Alias", "preference": "Preference", "rewrite": "Learned"}


@dataclass(frozen=True)
class MemoryItem:
    """One row of the Memory table: a taught or learned thing."""

    kind: str
    """command, alias, preference or rewrite."""
    key: str
    """Command name, alias phrase, preference key, or rewrite id."""
    name: str
    meaning: str
    origin: str

    @property
    def row_key(self) -> str:
        return f"{self.kind}:{self.key}"

    def matches(self, search: str) -> bool:
        wanted = search.lower().strip()
        return not wanted or wanted in f"{self.kind} {self.name} {self.meaning} {self.origin}".lower()


def collect_items(assistant: Assistant) -> list[MemoryItem]:
    """Everything the assistant was taught or learned, as table rows (runs in a worker)."""
    items: list[MemoryItem] = []
    teaching = assistant.teaching
    for command in teaching.commands():
        steps = " → ".join(step.text for step in command.steps)
        triggers = " | ".join(command.triggers)
        items.append(
            MemoryItem("command", command.name, command.name, f"“{triggers}”: {steps}", command.source)
        )
    for alias in teaching.aliases():
        items.append(MemoryItem("alias", alias.phrase, alias.phrase, f"means “{alias.target}”", alias.source))
    for row in teaching.preference_rows():
        category = f" ({row.category})" if row.category else ""
        items.append(MemoryItem("preference", row.key, row.key + category, row.value, row.source))
    for rewrite in assistant.learning.rewrites():
        meaning = f"means “{rewrite.target_text}” · {rewrite.successes} ok / {rewrite.failures} not"
        items.append(MemoryItem("rewrite", str(rewrite.id), rewrite.source_text, meaning, rewrite.status))
    return items


class MemoryScreen(AssistantScreen):
    """Review, change and undo what the assistant knows about you."""

    CSS_PATH = "memory.tcss"
    BINDINGS = [
        Binding("ctrl+f", "search", "Search"),
        Binding("ctrl+o", "edit", "Edit"),
        Binding("delete", "delete", "Delete"),
        Binding("ctrl+l", "keep", "Keep learned", show=False),
        Binding("ctrl+z", "undo", "Undo"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[MemoryItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="memory-body"):
            yield Input(
                placeholder="Search commands, aliases, preferences and learned words", id="memory-search"
            )
            yield DataTable(id="memory-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="memory-detail")
            with Horizontal(classes="buttons"):
                yield Button("Edit", id="memory-edit")
                yield Button("Delete", id="memory-delete", variant="error")
                yield Button("Keep learned", id="memory-keep")
            yield Label("Recent changes", classes="section")
            yield DataTable(id="changes-table", cursor_type="row", zebra_stripes=True)
            with Horizontal(classes="buttons"):
                yield Button("Undo selected change", id="memory-undo", variant="warning")
            yield Label("Export or import everything taught and learned (a JSON file)", classes="section")
            with Horizontal(classes="buttons"):
                yield Input(placeholder="File path, e.g. ~/assistant-memory.json", id="transfer-path")
                yield Button("Export", id="memory-export")
                yield Button("Import", id="memory-import")
                yield Checkbox("Replace what differs", id="import-replace")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # Meaning last: it is the long one, and the line under the table shows it whole.
        self.query_one("#memory-table", DataTable).add_columns("Kind", "Name", "Origin", "Meaning")
        self.query_one("#changes-table", DataTable).add_columns("When", "Change", "")

    # --- loading -----------------------------------------------------------

    def refresh_data(self) -> None:
        assistant = self.assistant

        def items() -> list[MemoryItem]:
            return collect_items(assistant)

        def changes() -> list[Change]:
            return list(assistant.teaching.recent_changes(20))

        self.background(items, self._show_items, action="Reading memory")
        self.background(changes, self._show_changes, action="Reading recent changes")

    def _show_items(self, items: list[MemoryItem]) -> None:
        self.items = items
        self._fill_table()

    def _fill_table(self) -> None:
        table = self.query_one("#memory-table", DataTable)
        search = self.query_one("#memory-search", Input).value
        table.clear()
        for item in self.items:
            if item.matches(search):
                table.add_row(
                    Text(KIND_LABELS.get(item.kind, item.kind), style="bold"),
                    item.name,
                    Text(item.origin, style="dim"),
                    item.meaning,
                    key=item.row_key,
                )
        if table.row_count == 0:
            empty = (
                "Nothing here yet: teach me on the Teach screen (F3)." if not search else "Nothing matches."
            )
            table.add_row("", "", "", Text(empty, style="dim"))
        self._show_detail()

    def _show_changes(self, changes: list[Change]) -> None:
        table = self.query_one("#changes-table", DataTable)
        table.clear()
        time_text = self.assistant_app.time_text
        for change in changes:
            state = Text("undone", style="dim") if change.undone else Text("")
            table.add_row(time_text(change.at), change.description, state, key=str(change.id))

    def _show_detail(self) -> None:
        """The highlighted item in full: the table cuts long meanings short."""
        item = self.selected()
        detail = self.query_one("#memory-detail", Static)
        if item is None:
            detail.update("")
            return
        text = Text()
        text.append(f"{KIND_LABELS.get(item.kind, item.kind)} “{item.name}”", style="bold")
        text.append(f" ({item.origin}): " if item.origin else ": ", style="dim")
        text.append(item.meaning)
        detail.update(text)

    @on(DataTable.RowHighlighted, "#memory-table")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(Input.Changed, "#memory-search")
    def _search(self) -> None:
        self._fill_table()

    @on(Input.Submitted, "#memory-search")
    def _search_done(self) -> None:
        """Enter in the search box goes to the results, where Delete and Ctrl+O act."""
        self.query_one("#memory-table", DataTable).focus()

    def on_screen_resume(self) -> None:
        # Textual also runs AssistantScreen.on_screen_resume (handlers run for each class).
        self.query_one("#memory-table", DataTable).focus()

    def action_search(self) -> None:
        self.query_one("#memory-search", Input).focus()

    # --- actions -------------------------------------------------------------

    def selected(self) -> MemoryItem | None:
        key = selected_key(self.query_one("#memory-table", DataTable))
        for item in self.items:
            if item.row_key == key:
                return item
        return None

    def _need_selection(self) -> MemoryItem | None:
        item = self.selected()
        if item is None:
            self.notify("Choose something in the table first.", severity="warning")
        return item

    def action_edit(self) -> None:
        """Open the thing in Teach (learned rewordings are kept or deleted here)."""
        item = self._need_selection()
        if item is None:
            return
        if item.kind == "rewrite":
            self.notify("Learned words can be kept or deleted, not edited.", severity="warning")
            return
        if item.kind == "command":
            self.post_message(EditTaught("command", item.key))
        elif item.kind == "alias":
            self.post_message(
                EditTaught("alias", item.key, item.meaning.removeprefix("means “").removesuffix("”"))
            )
        else:
            row = next((i for i in self.items if i.row_key == item.row_key), item)
            self.post_message(EditTaught("preference", item.key, row.meaning))

    def action_delete(self) -> None:
        item = self._need_selection()
        if item is None:
            return
        assistant = self.assistant
        calls = {
            "command": lambda: assistant.teaching.delete_command(item.key),
            "alias": lambda: assistant.teaching.delete_alias(item.key),
            "preference": lambda: assistant.teaching.forget_preference(item.key),
            "rewrite": lambda: assistant.learning.reject_rewrite(int(item.key)),
        }

        def done(_: object) -> None:
            self.notify(
                f"Deleted {KIND_LABELS[item.kind].lower()} “{item.name}”. Undo is below.", title="Memory"
            )
            self.refresh_data()

        self.background(calls[item.kind], done, action=f"Deleting “{item.name}”")

    def action_keep(self) -> None:
        """Confirm a learned rewording so it is always used."""
        item = self._need_selection()
        if item is None:
            return
        if item.kind != "rewrite":
            self.notify(
                "Only learned words need keeping; what you taught is kept already.", severity="warning"
            )
            return
        learning = self.assistant.learning

        def done(_: Rewrite) -> None:
            self.notify(f"I'll keep understanding “{item.name}” that way.", title="Memory")
            self.refresh_data()

        self.background(
            lambda: learning.confirm_rewrite(int(item.key)), done, action="Keeping the learned words"
        )

    def action_undo(self) -> None:
        """Undo the change under the cursor in Recent changes (the newest if none)."""
        table = self.query_one("#changes-table", DataTable)
        key = selected_key(table)
        change_id = int(key) if key is not None and key.isdigit() else None
        teaching = self.assistant.teaching

        def done(message: str) -> None:
            self.notify(message or "Undone.", title="Undo")
            self.refresh_data()

        self.background(lambda: teaching.undo(change_id), done, action="Undoing the change")

    # --- export and import -------------------------------------------------------

    def _path(self) -> Path | None:
        raw = self.query_one("#transfer-path", Input).value.strip()
        if not raw:
            self.notify("Type a file path first.", severity="warning")
            return None
        return Path(raw).expanduser()

    def export(self) -> None:
        path = self._path()
        if path is None:
            return
        teaching = self.assistant.teaching

        def write() -> str:
            from assistant.memory.export import describe_contents, write_export

            data = teaching.export_data()
            write_export(path, data)
            return f"Exported {describe_contents(data)} to {path}."

        self.background(write, lambda said: self.notify(said, title="Export"), action="Exporting")

    def import_file(self) -> None:
        path = self._path()
        if path is None:
            return
        teaching = self.assistant.teaching
        replace = self.query_one("#import-replace", Checkbox).value

        def read() -> ImportReport:
            from assistant.memory.export import ExportError, parse_export

            try:
                data = parse_export(path.read_text(encoding="utf-8"))
            except FileNotFoundError as error:
                raise ImportProblem(f"There is no file {path}.") from error
            except (OSError, UnicodeDecodeError, ExportError) as error:
                raise ImportProblem(f"Nothing imported from {path}: {error}.") from error
            return teaching.import_data(data, replace=replace)

        def done(report: ImportReport) -> None:
            summary = report.summary(flags=False)
            if report.ok:
                self.notify(summary, title=f"Import of {path.name}", timeout=8)
            else:
                self.notify(summary, title=f"Import of {path.name}", severity="error", timeout=12)
            self.refresh_data()

        self.background(read, done, action="Importing")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {
            "memory-edit": self.action_edit,
            "memory-delete": self.action_delete,
            "memory-keep": self.action_keep,
            "memory-undo": self.action_undo,
            "memory-export": self.export,
            "memory-import": self.import_file,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            action()


class ImportProblem(ValueError):
    """The import file cannot be read; the message says why."""
