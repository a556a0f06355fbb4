"""Teach: custom commands, aliases and preferences, with "try a phrase" before saving."""

from __future__ import annotations

from typing import Protocol

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)
from textual.widgets.option_list import Option

from assistant.memory.teaching_records import PARAMETER, Alias, CustomCommand, Preference
from tui.screens.base import AssistantScreen
from tui.widgets.tables import selected_key

NEW_COMMAND = "__new__"


def lines(text: str) -> list[str]:
    """Non-empty, stripped lines of a text area."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def command_steps_text(command: CustomCommand) -> list[str]:
    """The step texts of a stored custom command."""
    return [step.text for step in command.steps]


class TeachScreen(AssistantScreen):
    """Teach the assistant new commands, other words for requests, and about yourself."""

    CSS_PATH = "teach.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+n", "new_command", "New"),
        Binding("ctrl+r", "check_steps", "Check"),
        Binding("ctrl+g", "try_phrase", "Try phrase"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.editing: str | None = None
        """Name of the command loaded in the form (None for a new one)."""
        self.commands: list[CustomCommand] = []
        self._place_focus = False
        """Put the cursor somewhere useful once the commands arrive (set on arrival)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="teach-tabs"):
            with TabPane("Commands", id="tab-commands"):
                with Horizontal():
                    with Vertical(id="command-list-pane"):
                        yield OptionList(id="command-list")
                        yield Button("New command", id="new-command")
                    with VerticalScroll(id="command-form", can_focus=False):
                        yield Label("Name")
                        yield Input(placeholder="e.g. focus mode", id="command-name")
                        yield Label("Trigger phrases, one per line ({minutes} = a value)")
                        yield TextArea(id="command-triggers", soft_wrap=True)
                        yield Label("Steps, one request per line, run in order")
                        yield TextArea(id="command-steps", soft_wrap=True)
                        yield Static("", id="command-check")
                        with Horizontal(classes="buttons"):
                            yield Button("Check steps", id="check-steps")
                            yield Button("Save", id="save-command", variant="primary")
                            yield Button("Delete", id="delete-command", variant="error")
                    with Vertical(id="abilities-pane"):
                        yield Input(placeholder="Filter what I can do", id="abilities-filter")
                        yield OptionList(id="abilities")
            with TabPane("Aliases", id="tab-aliases"):
                with Vertical():
                    yield DataTable(id="alias-table", cursor_type="row", zebra_stripes=True)
                    with Horizontal(classes="form-row"):
                        yield Input(placeholder="When I say… (e.g. lights out)", id="alias-phrase")
                        yield Input(placeholder="…I mean (e.g. turn off all lights)", id="alias-target")
                        yield Button("Save", id="save-alias", variant="primary")
                        yield Button("Delete", id="delete-alias", variant="error")
            with TabPane("Preferences", id="tab-preferences"):
                with Vertical():
                    yield DataTable(id="preference-table", cursor_type="row", zebra_stripes=True)
                    with Horizontal(classes="form-row"):
                        yield Input(placeholder="Key (e.g. name, home_city)", id="preference-key")
                        yield Input(placeholder="Value", id="preference-value")
                        yield Input(placeholder="Category (optional)", id="preference-category")
                        yield Button("Save", id="save-preference", variant="primary")
                        yield Button("Forget", id="forget-preference", variant="error")
        with Horizontal(id="try-row"):
            yield Input(placeholder="Try a phrase: see what it would do, without doing it", id="try-phrase")
        yield Static("", id="try-result")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#command-list-pane").border_title = "Your commands"
        self.query_one("#abilities-pane").border_title = "What I can do"
        self.query_one("#abilities-pane").border_subtitle = "Enter adds it as a step"
        self.query_one("#alias-table", DataTable).add_columns("When I say", "I mean", "Taught via")
        self.query_one("#preference-table", DataTable).add_columns("Key", "Value", "Category", "Source")

    # --- loading ----------------------------------------------------------

    def on_screen_resume(self) -> None:
        # Textual also runs AssistantScreen.on_screen_resume (handlers run for each class).
        focused = self.focused
        if focused is None or type(focused).__name__ == "ContentTabs":
            self._place_focus = True

    def refresh_data(self) -> None:
        teaching = self.assistant.teaching
        self.background(teaching.commands, self._show_commands, action="Reading commands")
        self.background(teaching.aliases, self._show_aliases, action="Reading aliases")
        self.background(teaching.preference_rows, self._show_preferences, action="Reading preferences")
        self._show_abilities(self.query_one("#abilities-filter", Input).value)

    def _show_commands(self, commands: list[CustomCommand]) -> None:
        self.commands = list(commands)
        option_list = self.query_one("#command-list", OptionList)
        option_list.clear_options()
        for command in self.commands:
            option_list.add_option(Option(command.name, id=command.name))
        if not self.commands:
            option_list.add_option(
                Option(Text("No commands yet", style="dim"), id=NEW_COMMAND, disabled=True)
            )
        if self._place_focus:
            self._place_focus = False
            if self.query_one("#teach-tabs", TabbedContent).active == "tab-commands":
                # Arrow keys pick a command to edit; with none yet, start typing a new one.
                (option_list if self.commands else self.query_one("#command-name", Input)).focus()

    def _show_aliases(self, aliases: list[Alias]) -> None:
        table = self.query_one("#alias-table", DataTable)
        table.clear()
        for alias in aliases:
            table.add_row(alias.phrase, alias.target, alias.source, key=alias.phrase)

    def _show_preferences(self, rows: list[Preference]) -> None:
        table = self.query_one("#preference-table", DataTable)
        table.clear()
        for row in rows:
            table.add_row(row.key, row.value, row.category or "", row.source, key=row.key)

    def _show_abilities(self, search: str) -> None:
        """Intents with their examples; choosing one adds an example as a step."""
        assistant = self.assistant
        wanted = search.lower().strip()
        option_list = self.query_one("#abilities", OptionList)
        option_list.clear_options()
        for spec in sorted(assistant.skills.intents(), key=lambda spec: spec.name):
            if spec.name.startswith("custom."):
                continue
            examples = assistant.skills.examples(spec.name, 1)
            example = examples[0] if examples else ""
            haystack = f"{spec.name} {spec.description} {example}".lower()
            if wanted and wanted not in haystack:
                continue
            label: Text | Group = Text(spec.name, style="bold")
            if example:
                # Padding keeps a wrapped example indented under its intent.
                label = Group(label, Padding(Text(f"“{example}”", style="dim"), (0, 0, 0, 2)))
            option_list.add_option(Option(label, id=f"{spec.name}\t{example}"))

    # --- the command form ---------------------------------------------------

    @on(OptionList.OptionSelected, "#command-list")
    def _command_chosen(self, event: OptionList.OptionSelected) -> None:
        name = event.option.id
        for command in self.commands:
            if command.name == name:
                self.load_command(command)
                return

    def load_command(self, command: CustomCommand) -> None:
        """Put a stored command into the form for editing."""
        self.editing = command.name
        self.query_one("#command-name", Input).value = command.name
        self.query_one("#command-triggers", TextArea).text = "\n".join(command.triggers)
        self.query_one("#command-steps", TextArea).text = "\n".join(command_steps_text(command))
        self._check_message(f"Editing “{command.name}”.", "")

    def edit_command(self, name: str) -> None:
        """Open the Commands tab with ``name`` loaded (called from Memory)."""
        self.when_shown(lambda: self._edit_command(name))

    def _edit_command(self, name: str) -> None:
        self.query_one("#teach-tabs", TabbedContent).active = "tab-commands"

        def found(commands: list[CustomCommand]) -> None:
            self._show_commands(commands)
            for command in commands:
                if command.name == name:
                    self.load_command(command)

        self.background(self.assistant.teaching.commands, found, action="Reading commands")

    def edit_alias(self, phrase: str, target: str) -> None:
        """Open the Aliases tab with one alias in the form (called from Memory)."""
        self.when_shown(lambda: self._edit_alias(phrase, target))

    def _edit_alias(self, phrase: str, target: str) -> None:
        self.query_one("#teach-tabs", TabbedContent).active = "tab-aliases"
        self.query_one("#alias-phrase", Input).value = phrase
        self.query_one("#alias-target", Input).value = target
        self.query_one("#alias-target", Input).focus()

    def edit_preference(self, key: str, value: str) -> None:
        """Open the Preferences tab with one preference in the form (called from Memory)."""
        self.when_shown(lambda: self._edit_preference(key, value))

    def _edit_preference(self, key: str, value: str) -> None:
        self.query_one("#teach-tabs", TabbedContent).active = "tab-preferences"
        self.query_one("#preference-key", Input).value = key
        self.query_one("#preference-value", Input).value = value
        self.query_one("#preference-value", Input).focus()

    def action_new_command(self) -> None:
        self.query_one("#teach-tabs", TabbedContent).active = "tab-commands"
        self.editing = None
        self.query_one("#command-name", Input).value = ""
        self.query_one("#command-triggers", TextArea).text = ""
        self.query_one("#command-steps", TextArea).text = ""
        self._check_message("A new command: give it a name, trigger phrases and steps.", "")
        self.query_one("#command-name", Input).focus()

    @on(OptionList.OptionSelected, "#abilities")
    def _ability_chosen(self, event: OptionList.OptionSelected) -> None:
        _, _, example = (event.option.id or "").partition("\t")
        if not example:
            return
        steps = self.query_one("#command-steps", TextArea)
        existing = steps.text.rstrip("\n")
        steps.text = f"{existing}\n{example}" if existing else example
        self.notify(f"Added the step “{example}”. Edit the <…> parts to real values.", timeout=4)

    @on(Input.Changed, "#abilities-filter")
    def _filter_abilities(self, event: Input.Changed) -> None:
        self._show_abilities(event.value)

    def _check_message(self, text: str | Text | Table, kind: str) -> None:
        check = self.query_one("#command-check", Static)
        check.update(text)
        check.set_class(kind == "error", "error")
        check.set_class(kind == "ok", "ok")

    def action_check_steps(self) -> None:
        """Show what each step would do, so mistakes show before saving."""
        steps = lines(self.query_one("#command-steps", TextArea).text)
        if not steps:
            self._check_message("Add at least one step: a request, as you would say it.", "error")
            return
        teaching = self.assistant.teaching

        def check() -> list[tuple[str, str]]:
            return [(step, preview_step(teaching, step)) for step in steps]

        self.background(check, self._show_check, action="Checking the steps")

    def _show_check(self, results: list[tuple[str, str]]) -> None:
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", no_wrap=True)
        table.add_column(ratio=1)
        for index, (step, outcome) in enumerate(results, start=1):
            table.add_row(Text(f"{index}.", style="bold"), Text(step, style="bold"))
            table.add_row("", Text(f"→ {outcome}"))
        self._check_message(table, "ok")

    def action_save(self) -> None:
        """Save whatever the active tab is editing."""
        active = self.query_one("#teach-tabs", TabbedContent).active
        if active == "tab-aliases":
            self._save_alias()
        elif active == "tab-preferences":
            self._save_preference()
        else:
            self._save_command()

    def _save_command(self) -> None:
        name = self.query_one("#command-name", Input).value.strip()
        triggers = lines(self.query_one("#command-triggers", TextArea).text)
        steps = lines(self.query_one("#command-steps", TextArea).text)
        teaching = self.assistant.teaching
        previous = self.editing

        def save() -> CustomCommand:
            if previous and name and previous != name:
                teaching.rename_command(previous, name)
            return teaching.save_command(name, triggers, steps)

        self.background(
            save,
            self._command_saved,
            action="Saving the command",
            on_error=lambda error: self._check_message(str(error), "error"),
        )

    def _command_saved(self, command: CustomCommand) -> None:
        name = command.name
        self.editing = name
        triggers = lines(self.query_one("#command-triggers", TextArea).text)
        hint = f" Say “{PARAMETER.sub(SAMPLE_VALUE, triggers[0])}” to run it." if triggers else ""
        self._check_message(f"Saved “{name}”.{hint}", "ok")
        self.notify(f"Saved the command “{name}”.", title="Teach")
        self.background(self.assistant.teaching.commands, self._show_commands, action="Reading commands")

    def _delete_command(self) -> None:
        name = self.editing or self.query_one("#command-name", Input).value.strip()
        if not name:
            self.notify("Choose a command to delete first.", severity="warning")
            return
        teaching = self.assistant.teaching

        def deleted(_: CustomCommand) -> None:
            self.notify(f"Deleted “{name}”. Undo it in Memory (F4).", title="Teach")
            self.action_new_command()
            self.refresh_data()

        self.background(lambda: teaching.delete_command(name), deleted, action="Deleting the command")

    # --- aliases and preferences --------------------------------------------

    def _save_alias(self) -> None:
        phrase = self.query_one("#alias-phrase", Input).value.strip()
        target = self.query_one("#alias-target", Input).value.strip()
        teaching = self.assistant.teaching

        def saved(_: Alias) -> None:
            self.notify(f"When you say “{phrase}”, I'll do “{target}”.", title="Alias saved")
            self.query_one("#alias-phrase", Input).value = ""
            self.query_one("#alias-target", Input).value = ""
            self.background(teaching.aliases, self._show_aliases, action="Reading aliases")

        self.background(lambda: teaching.save_alias(phrase, target), saved, action="Saving the alias")

    def _delete_alias(self) -> None:
        table = self.query_one("#alias-table", DataTable)
        phrase = selected_key(table) or self.query_one("#alias-phrase", Input).value.strip()
        if not phrase:
            self.notify("Choose an alias to delete first.", severity="warning")
            return
        teaching = self.assistant.teaching

        def deleted(_: Alias) -> None:
            self.notify(f"Forgot the alias “{phrase}”.", title="Teach")
            self.background(teaching.aliases, self._show_aliases, action="Reading aliases")

        self.background(lambda: teaching.delete_alias(phrase), deleted, action="Deleting the alias")

    def _save_preference(self) -> None:
        key = self.query_one("#preference-key", Input).value.strip()
        value = self.query_one("#preference-value", Input).value.strip()
        category = self.query_one("#preference-category", Input).value.strip() or None
        teaching = self.assistant.teaching

        def saved(_: Preference) -> None:
            self.notify(f"Remembered {key} = {value}.", title="Preference saved")
            for field in ("#preference-key", "#preference-value", "#preference-category"):
                self.query_one(field, Input).value = ""
            self.background(teaching.preference_rows, self._show_preferences, action="Reading preferences")

        self.background(
            lambda: teaching.set_preference(key, value, category=category, source="ui"),
            saved,
            action="Saving the preference",
        )

    def _forget_preference(self) -> None:
        table = self.query_one("#preference-table", DataTable)
        key = selected_key(table) or self.query_one("#preference-key", Input).value.strip()
        if not key:
            self.notify("Choose a preference to forget first.", severity="warning")
            return
        teaching = self.assistant.teaching

        def forgotten(_: list[Preference]) -> None:
            self.notify(f"Forgot {key}.", title="Teach")
            self.background(teaching.preference_rows, self._show_preferences, action="Reading preferences")

        self.background(
            lambda: teaching.forget_preference(key), forgotten, action="Forgetting the preference"
        )

    @on(DataTable.RowSelected, "#alias-table")
    def _alias_chosen(self, event: DataTable.RowSelected) -> None:
        row = event.data_table.get_row(event.row_key)
        self.query_one("#alias-phrase", Input).value = str(row[0])
        self.query_one("#alias-target", Input).value = str(row[1])

    @on(DataTable.RowSelected, "#preference-table")
    def _preference_chosen(self, event: DataTable.RowSelected) -> None:
        row = event.data_table.get_row(event.row_key)
        self.query_one("#preference-key", Input).value = str(row[0])
        self.query_one("#preference-value", Input).value = str(row[1])
        self.query_one("#preference-category", Input).value = str(row[2])

    # --- buttons and try-a-phrase ---------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {
            "new-command": self.action_new_command,
            "check-steps": self.action_check_steps,
            "save-command": self._save_command,
            "delete-command": self._delete_command,
            "save-alias": self._save_alias,
            "delete-alias": self._delete_alias,
            "save-preference": self._save_preference,
            "forget-preference": self._forget_preference,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            action()

    def action_try_phrase(self) -> None:
        self.query_one("#try-phrase", Input).focus()

    @on(Input.Submitted, "#try-phrase")
    def _try_phrase(self, event: Input.Submitted) -> None:
        phrase = event.value.strip()
        if not phrase:
            return
        teaching = self.assistant.teaching
        result = self.query_one("#try-result", Static)
        result.update(Text("Thinking…", style="dim"))

        def shown(description: str) -> None:
            text = Text()
            text.append(f"“{phrase}” ", style="bold")
            text.append(f"→ {description}")
            result.update(text)

        self.background(lambda: teaching.preview(phrase), shown, action="Trying the phrase")

    @on(Input.Submitted, "#command-name")
    def _name_entered(self) -> None:
        self.query_one("#command-triggers", TextArea).focus()

    @on(Input.Submitted, "#alias-target")
    def _alias_entered(self) -> None:
        self._save_alias()

    @on(Input.Submitted, "#preference-value")
    def _preference_entered(self) -> None:
        self._save_preference()


SAMPLE_VALUE = "5"
"""Put in place of a ``{parameter}`` to see what a step would do."""


class Previewer(Protocol):
    """What "check steps" needs of the teaching service."""

    def preview(self, text: str) -> str:
        """What saying ``text`` would do, without doing it."""
        ...


def preview_step(teaching: Previewer, step: str) -> str:
    """What a step would do; parameters are tried with a sample value, and the answer says so."""
    names = PARAMETER.findall(step)
    if not names:
        return teaching.preview(step)
    sample = PARAMETER.sub(SAMPLE_VALUE, step)
    tried = ", ".join(f"{{{name}}} = {SAMPLE_VALUE}" for name in names)
    return f"{teaching.preview(sample)} (tried with {tried})"
