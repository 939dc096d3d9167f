"""thinkchat in a real browser: headless Chromium (Debian's, never a downloaded one) on the
page `thinkchat serve --demo` serves, driven with Playwright.

What the terminal in the page shows is read from xterm.js's own buffer (see TERMINAL_HOOK);
every step waits for the screen to show what it expects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.served import serving, wait_for

CHROMIUM = Path("/usr/bin/chromium")
# Without the networking flags Chromium's background connections are refused by a closed
# network, and it waits on them.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"
WAIT_MS = 30_000

# textual-serve's page keeps its xterm.js Terminal to itself. The public Terminal is the only
# object that sets `_addonManager`, in its constructor: a setter on Object.prototype catches
# that one assignment and keeps the terminal, whose buffer then gives the screen's text.
TERMINAL_HOOK = """
Object.defineProperty(Object.prototype, "_addonManager", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "_addonManager", {
      value, writable: true, configurable: true, enumerable: true,
    });
    window.thinkchatTerminal = this;
  },
});
window.thinkchatScreen = () => {
  const terminal = window.thinkchatTerminal;
  if (!terminal) return "";
  const buffer = terminal.buffer.active;
  const lines = [];
  for (let row = 0; row < terminal.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
};
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium), as "
            ".ci/run does; the browser tests never download one."
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class Screen:
    """The terminal in a page, read as text."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def text(self) -> str:
        return self.page.evaluate("window.thinkchatScreen()")

    def lines(self) -> list[str]:
        return self.text().split("\n")

    def wait_for(self, *texts: str) -> None:
        """Wait until the screen shows every one of `texts` at once."""
        try:
            self.page.wait_for_function(
                "texts => texts.every(text => window.thinkchatScreen().includes(text))",
                arg=list(texts),
                timeout=WAIT_MS,
            )
        except PlaywrightTimeout:
            raise AssertionError(f"the screen never showed {texts}:\n{self.text()}") from None

    def wait_gone(self, text: str) -> None:
        try:
            self.page.wait_for_function(
                "text => !window.thinkchatScreen().includes(text)", arg=text, timeout=WAIT_MS
            )
        except PlaywrightTimeout:
            raise AssertionError(f"the screen kept showing {text!r}:\n{self.text()}") from None

    def column(self, text: str) -> int:
        """Where `text` starts on its line."""
        return next(line.index(text) for line in self.lines() if text in line)


def _open(browser: Browser, link: str) -> tuple[Page, Screen]:
    context = browser.new_context(viewport={"width": 1400, "height": 800})
    # As a desktop browser grants a focused page on 127.0.0.1; the test reads it back.
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.add_init_script(TERMINAL_HOOK)
    page.goto(link)
    page.wait_for_selector("body.-first-byte", timeout=WAIT_MS)
    screen = Screen(page)
    screen.wait_for("Ask anything")
    # Keys go to the terminal once its input has the focus, as after a click on the page.
    page.focus("textarea.xterm-helper-textarea")
    return page, screen


def _run_command(page: Page, screen: Screen, search: str, title: str) -> None:
    """Run a command from the palette (ctrl+p), as a browser user does for ctrl+t and ctrl+n."""
    page.keyboard.press("Control+p")
    screen.wait_for("Search for commands")
    page.keyboard.type(search)
    screen.wait_for(title)
    page.keyboard.press("Enter")
    # The palette has closed once its list has gone: its placeholder went with the first letter
    # typed, and a key pressed before the palette closes is the palette's, not the app's.
    screen.wait_gone(title)


def test_the_chat_in_a_browser_tab(tmp_path: Path, browser: Browser) -> None:
    with serving(tmp_path) as served:
        page, screen = _open(browser, served.link)
        assert page.url == f"{served.base}/"  # the secret has left the address bar
        wait_for(lambda: len(served.apps()) == 1, "the tab's app process")
        screen.wait_for("DEMO", "thinking off")
        screen.wait_for("ctrl+n (new) belong to the browser")  # its keys' note, served only
        page.keyboard.press("Control+t")
        screen.wait_for("thinking on")

        # Slow enough (10 s of reasoning, then of answer) to be seen streaming on a busy machine.
        page.keyboard.type("#sim reasoning=200 answer=200 delay=0.05")
        page.keyboard.press("Control+j")
        page.keyboard.type("why is the sky blue?")
        page.keyboard.press("Enter")
        # The reasoning streams into its panel (the status line's live rate says it is still
        # coming), then the answer into the conversation, and the turn ends with its usage.
        screen.wait_for("Okay, the user asked", "thinking ~")
        screen.wait_for("Thought for", "Each step is small enough", "answering ~")
        reasoning_pane = screen.column("▾ Reasoning")
        assert screen.column("Okay, the user asked") >= reasoning_pane
        assert screen.column("Each step is small enough") < reasoning_pane
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "browser-chat.png"
        page.screenshot(path=str(shot))
        print(f"screenshot: {shot}")
        screen.wait_for("400 out (200 reasoning)")
        screen.wait_gone("answering ~")

        # Copying reaches the browser's clipboard (OSC 52, through xterm.js).
        _run_command(page, screen, "copy reasoning", "Copy reasoning")
        screen.wait_for("Copied the reasoning")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith('Okay, the user asked "why is the sky blue?", so I need')

        page.keyboard.press("Control+t")
        screen.wait_for("thinking off")
        # The keys a desktop browser keeps for itself have their palette commands.
        _run_command(page, screen, "thinking on", "Turn thinking on or off (ctrl+t)")
        screen.wait_for("thinking on")

        # A key typed right after escape would reach the app as alt+key (a terminal's escape
        # prefix): each dialog is seen to close first, as a person would.
        page.keyboard.press("Control+o")  # a dialog
        screen.wait_for("Choose a model")
        page.keyboard.press("Escape")
        screen.wait_gone("Choose a model")
        # The function keys of copying, the system prompt and the model parameters reach the
        # app too (a desktop browser keeps f3 and f12 for find and its tools, a page's focus
        # lets them through).
        page.keyboard.press("F3")
        screen.wait_for("Copied the answer")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith('## Answer\n\nYou asked "why is the sky blue?"')
        page.keyboard.press("F10")
        screen.wait_for("Copied code block 1 (python, 2 lines)")
        for key, title in (("F9", "System prompt"), ("F12", "Model parameters")):
            page.keyboard.press(key)
            screen.wait_for(title, "Cancel")
            page.keyboard.press("Escape")
            screen.wait_gone(title)
        page.keyboard.press("Control+l")  # the history
        screen.wait_for("Conversations", "#sim reasoning=200 answer=200")
        page.keyboard.press("Escape")
        screen.wait_gone("Conversations")

        _run_command(page, screen, "new conversation", "Start a new conversation (ctrl+n)")
        screen.wait_gone("Each step is small enough")

        page.close()
        wait_for(lambda: not served.apps(), "the closed tab's app to end")


def test_beyond_loopback_the_page_wants_the_secret(tmp_path: Path, browser: Browser) -> None:
    with serving(tmp_path, "--host", "0.0.0.0", "--allow-remote") as served:
        page = browser.new_page()
        refused = page.goto(f"{served.base}/")
        assert refused is not None and refused.status == 403
        assert "needs the link that 'thinkchat serve' printed" in page.inner_text("body")
        guessed = page.goto(f"{served.base}/?token=guess")
        assert guessed is not None and guessed.status == 403
        assert not served.apps()
        page.close()

        page, screen = _open(browser, served.link)
        assert re.search(r"DEMO", screen.text())
        page.close()
        wait_for(lambda: not served.apps(), "the closed tab's app to end")
