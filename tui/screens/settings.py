"""Plug-ins & settings: plug-in status and errors, speech settings, connecting Home Assistant,
recognizer models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, ProgressBar, Select, Static

from tui.messages import WakePhraseChanged
from tui.screens.base import AssistantScreen
from tui.widgets.tables import selected_key

if TYPE_CHECKING:
    from assistant.asr.models import InstalledModel
    from assistant.plugins.loader import PluginStatus

STATUS_STYLES = {"loaded": "green", "failed": "bold red", "refused": "bold red", "disabled": "yellow"}

ENGINE_CHOICES: dict[str, list[tuple[str, str]]] = {
    "wake_engine": [
        ("automatic", "auto"),
        ("pocketsphinx (any phrase)", "pocketsphinx"),
        ("vosk (any phrase)", "vosk"),
        ("microWakeWord (trained phrases)", "microwakeword"),
        ("openWakeWord (trained phrases)", "openwakeword"),
    ],
    "asr_engine": [
        ("automatic", "auto"),
        ("whisper", "whisper"),
        ("vosk", "vosk"),
        ("pocketsphinx", "pocketsphinx"),
    ],
    "tts_engine": [("automatic", "auto"), ("pyttsx3", "pyttsx3"), ("piper", "piper")],
}
"""Choices offered for each engine setting (label, value)."""

ENGINE_LABELS = {
    "wake_engine": "Wake word engine",
    "asr_engine": "Recognizer engine",
    "tts_engine": "Speech engine",
}

TEXT_FIELDS: list[tuple[str, str, str]] = [
    ("wake_phrase", "Wake phrase", "e.g. hey computer"),
    ("wake_sensitivity", "Wake sensitivity (0 strict … 1 eager)", "0.5"),
    ("voice", "Voice (empty: the engine's default)", ""),
    ("follow_up_seconds", "Follow-up window in seconds (0: off)", "4"),
    (
        "satellites",
        "Wyoming satellites, comma-separated (next start)",
        "tcp://kitchen.local:10700",
    ),
]
"""Settings edited as text: (setting, label, placeholder)."""

KEYWORD_SPOTTING_EXAMPLE = "hey computer"


def wake_phrase_choices() -> list[tuple[str, str]]:
    """The phrases with a trained model first (they hold up best in noise), then the default."""
    from assistant.wake import bundled_phrases

    trained = [(f"{phrase} (trained: most robust)", phrase) for phrase in bundled_phrases()]
    return [*trained, (f"{KEYWORD_SPOTTING_EXAMPLE} (keyword spotting)", KEYWORD_SPOTTING_EXAMPLE)]


def plugin_reason(status: PluginStatus) -> Text:
    """The reason column: red for failures, plain otherwise."""
    if status.status == "loaded":
        intents = ", ".join(status.intents)
        return Text(intents or status.description, style="dim")
    return Text(status.reason or status.status, style=STATUS_STYLES.get(status.status, ""))


class SettingsScreen(AssistantScreen):
    """See which plug-ins run and why others do not; change how the assistant listens and speaks."""

    CSS_PATH = "settings.tcss"
    BINDINGS = [Binding("ctrl+s", "save", "Save settings")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="settings-body"):
            yield Label("Plug-ins", classes="section")
            yield DataTable(id="plugins-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="plugins-folder")
            yield Label("Listening and speaking", classes="section")
            with Horizontal(id="settings-columns"):
                with Vertical(classes="column"):
                    for name, label, placeholder in TEXT_FIELDS:
                        yield Label(label)
                        yield Input(placeholder=placeholder, id=f"setting-{name}")
                        if name == "wake_phrase":
                            yield Select(
                                wake_phrase_choices(),
                                id="wake-phrase-choice",
                                prompt="Pick a suggested wake phrase",
                            )
                with Vertical(classes="column"):
                    for name, choices in ENGINE_CHOICES.items():
                        yield Label(ENGINE_LABELS[name])
                        yield Select(choices, id=f"setting-{name}", allow_blank=False, value="auto")
            with Horizontal(classes="buttons"):
                yield Button("Save settings", id="save-settings", variant="primary")
                yield Static(
                    "Changes to listening take effect when the assistant restarts.", id="settings-hint"
                )
            yield Label("Home Assistant", classes="section")
            yield Static(
                "Connect to your Home Assistant to control its lights, switches, covers and more. "
                "Make a long-lived access token in your Home Assistant profile (Security); it stays "
                "on this computer, in a file only you can read.",
                id="ha-hint",
            )
            with Horizontal(id="ha-fields"):
                yield Input(placeholder="http://homeassistant.local:8123", id="ha-url")
                yield Input(placeholder="long-lived access token", password=True, id="ha-token")
                yield Button("Connect", id="ha-connect")
            yield Static("", id="ha-status")
            yield Label("Recognizer models", classes="section")
            yield DataTable(id="models-table", cursor_type="row", zebra_stripes=True)
            with Horizontal(classes="buttons"):
                yield Button("Install selected model", id="install-model")
                yield ProgressBar(id="model-progress", show_eta=True)
            yield Static("", id="model-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#plugins-table", DataTable).add_columns("Plug-in", "Status", "Details", "From")
        self.query_one("#models-table", DataTable).add_columns("Model", "Language", "Size", "Installed")
        self.query_one("#model-progress", ProgressBar).display = False

    # --- loading ------------------------------------------------------------

    def refresh_data(self) -> None:
        assistant = self.assistant
        from assistant.plugins.loader import current_statuses

        self._show_plugins(current_statuses(list(assistant.plugin_statuses), assistant.skills))
        settings = assistant.settings
        for name, _, _ in TEXT_FIELDS:
            self.query_one(f"#setting-{name}", Input).value = str(getattr(settings, name))
        for name, choices in ENGINE_CHOICES.items():
            value = str(getattr(settings, name))
            if value in {choice for _, choice in choices}:
                self.query_one(f"#setting-{name}", Select).value = value
        self.background(self._read_models, self._show_models, action="Reading models")
        if not self.query_one("#ha-url", Input).value:
            own = settings.extra.get("homeassistant")
            self.query_one("#ha-url", Input).value = str(own.get("url", "")) if isinstance(own, dict) else ""

    def _show_plugins(self, statuses: list[PluginStatus]) -> None:
        table = self.query_one("#plugins-table", DataTable)
        table.clear()
        for status in statuses:
            table.add_row(
                Text(status.name, style="bold"),
                Text(status.status, style=STATUS_STYLES.get(status.status, "")),
                plugin_reason(status),
                status.source if status.kind == "package" else status.source.rsplit("/", 1)[-1],
                key=status.name,
            )
        if not statuses:
            table.add_row(Text("No plug-ins yet.", style="dim"), "", "", "")
        folder = self.assistant.home.plugins_dir
        self.query_one("#plugins-folder", Static).update(
            Text(f"Drop a .py file in {folder} and restart to add one.", style="dim")
        )

    def _read_models(self) -> list[tuple[str, str, str, bool]]:
        from assistant.asr import models

        home = self.assistant.home
        catalogue = models.load_manifest()
        installed = models.installed_models(home, catalogue)
        installed_names = {model.catalogue_name or model.name for model in installed}
        rows = [
            (entry.name, entry.language, _size(entry.size), entry.name in installed_names)
            for entry in catalogue.values()
        ]
        rows += [
            (model.name, "", _size(model.size_bytes), True) for model in installed if not model.catalogue_name
        ]
        return rows

    def _show_models(self, rows: list[tuple[str, str, str, bool]]) -> None:
        table = self.query_one("#models-table", DataTable)
        table.clear()
        for name, language, size, installed in rows:
            mark = Text("yes", style="green") if installed else Text("no", style="dim")
            table.add_row(name, language, size, mark, key=name)

    @on(Select.Changed, "#wake-phrase-choice")
    def _pick_wake_phrase(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.query_one("#setting-wake_phrase", Input).value = event.value

    # --- saving ---------------------------------------------------------------

    def action_save(self) -> None:
        from assistant.wake import WakeError
        from assistant.wake.bundled import BUNDLED_MODELS, bundled_model

        changes: dict[str, object] = {}
        for name, _, _ in TEXT_FIELDS:
            changes[name] = self.query_one(f"#setting-{name}", Input).value.strip()
        for name in ENGINE_CHOICES:
            changes[name] = self.query_one(f"#setting-{name}", Select).value
        engine = str(changes["wake_engine"])
        if engine in BUNDLED_MODELS:
            try:  # a trained engine hears only its own phrases: say so now, not at the next start
                bundled_model(engine, str(changes["wake_phrase"]))
            except WakeError as error:
                self.notify(str(error), title="Settings", severity="error")
                return
        assistant = self.assistant

        def save() -> None:
            # The same rules as the settings file and `assistant config set` (a ConfigError
            # becomes an error notice); nothing changes unless every value fits.
            assistant.settings.update(**changes)
            assistant.settings.save(assistant.home)

        def saved(_: None) -> None:
            self.notify("Settings saved.", title="Settings")
            self.post_message(WakePhraseChanged(assistant.settings.wake_phrase))

        self.background(save, saved, action="Saving settings")

    # --- models -------------------------------------------------------------------

    def install_model(self) -> None:
        name = selected_key(self.query_one("#models-table", DataTable))
        if not name:
            self.notify("Choose a model to install first.", severity="warning")
            return
        home = self.assistant.home
        bar = self.query_one("#model-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        status = self.query_one("#model-status", Static)
        status.update(f"Installing {name}…")
        app = self.app

        def progress(done: int, total: int | None) -> None:
            app.call_from_thread(bar.update, total=total, progress=done)

        def install() -> InstalledModel:
            from assistant.asr import models

            return models.install_model(name, home, progress=progress)

        def installed(model: InstalledModel) -> None:
            bar.display = False
            status.update(f"Installed {model.name} in {model.path}. Restart to use it.")
            self.refresh_data()

        def failed(error: BaseException) -> None:
            bar.display = False
            status.update(Text(str(error), style="red"))

        self.background(install, installed, action=f"Installing {name}", on_error=failed, group="models")

    # --- Home Assistant ------------------------------------------------------------

    def connect_homeassistant(self) -> None:
        """Check the address and token against Home Assistant; save them only if they work."""
        url = self.query_one("#ha-url", Input).value.strip()
        token_input = self.query_one("#ha-token", Input)
        token = token_input.value.strip()
        status = self.query_one("#ha-status", Static)
        status.update("Checking…")
        home = self.assistant.home

        def connect() -> tuple[bool, str]:
            try:
                from assistant_homeassistant.setup import connect_home
            except ImportError:
                return False, "The Home Assistant plug-in isn't installed: run scripts/setup.sh."
            result = connect_home(home, url, token)
            return result.ok, result.message

        def shown(outcome: tuple[bool, str]) -> None:
            ok, message = outcome
            if ok:
                token_input.value = ""  # saved in its file; not kept on screen
            status.update(Text(message, style="green" if ok else "red"))

        self.background(connect, shown, action="Connecting to Home Assistant", group="homeassistant")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ha-connect":
            self.connect_homeassistant()
        elif event.button.id == "save-settings":
            self.action_save()
        elif event.button.id == "install-model":
            self.install_model()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id in ("ha-url", "ha-token"):
            self.connect_homeassistant()
        else:
            self.action_save()


def _size(size: int | None) -> str:
    if not size:
        return "—"
    return f"{size / 1_000_000:.0f} MB"
