"""The reference for bench/startup.py: a bare Textual app, a Header, a Static and a Footer."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

TEXT = "bare textual app: first frame"


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(TEXT)
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
