"""Drive Neo4j Browser 5 in a headless Chromium for the browser tests (playwright, sync API).

The system Chromium is used ($ILLNET_CHROMIUM, default /usr/bin/chromium); no browser is
ever downloaded. Each page gets a fresh profile, and requests to hosts other than the
loopback are aborted, so the Browser's telemetry and web fonts never leave the machine.
Waits are on selectors and counts, never on sleeps.
"""

import os
import tempfile
from contextlib import contextmanager
from urllib.parse import urlparse

from playwright.sync_api import Locator, Page, expect, sync_playwright

CHROMIUM = os.environ.get("ILLNET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOOPBACK = {"127.0.0.1", "localhost"}
TIMEOUT_MS = 30_000

# Waits until no node of the newest graph moved between two animation frames (layout settled).
LAYOUT_SETTLED_JS = """(frame) => new Promise(resolve => {
  const positions = () => Array.from(frame.querySelectorAll('g.node'))
                               .map(node => node.getAttribute('transform')).join(';');
  const before = positions();
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(before !== '' && before === positions())));
})"""


@contextmanager
def chromium_page(width: int = 1400, height: int = 1000):
    """A page of a headless Chromium with a fresh profile; closed on exit."""
    with tempfile.TemporaryDirectory(prefix="illnet-chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
            viewport={"width": width, "height": height})
        try:
            context.set_default_timeout(TIMEOUT_MS)
            expect.set_options(timeout=TIMEOUT_MS)
            context.route(lambda url: urlparse(url).hostname not in LOOPBACK, lambda route: route.abort())
            yield context.new_page()
        finally:
            context.close()


class NeoBrowser:
    """The Neo4j Browser web app open on one page."""

    def __init__(self, page: Page, url: str):
        self.page = page
        self.url = url

    def connect(self, bolt_uri: str, user: str, password: str) -> None:
        """Open the Browser and log in over Bolt; return once the login form has gone."""
        address = urlparse(bolt_uri)
        self.page.goto(self.url)
        self.page.get_by_test_id("boltaddress").wait_for()
        self.page.get_by_test_id("bolt-scheme-select").select_option(f"{address.scheme}://")
        self.page.get_by_test_id("boltaddress").fill(address.netloc)
        self.page.get_by_test_id("username").fill(user)
        self.page.get_by_test_id("password").fill(password)
        self.page.get_by_test_id("connect").click()
        # the post-connect commands may clear the "You are connected" frame at once: wait for the
        # login form to go instead
        self.page.get_by_test_id("connect").wait_for(state="detached")

    def frames(self) -> Locator:
        """All result frames, newest first."""
        return self.page.get_by_test_id("frame")

    def frame_with_text(self, text: str) -> Locator:
        """The newest frame showing this text."""
        return self.frames().filter(has_text=text).first

    def type_command(self, command: str) -> None:
        """Put a command into the (empty) editor without running it."""
        self.page.get_by_test_id("activeEditor").click()
        self.page.keyboard.insert_text(command)

    def run_editor(self) -> Locator:
        """Run what the editor holds; return the new frame once it shows a result or error."""
        count = self.frames().count()
        self.page.get_by_test_id("editor-Run").click()
        expect(self.frames()).to_have_count(count + 1)
        frame = self.frames().first
        frame.get_by_test_id("frame-loaded-contents").or_(frame.get_by_test_id("frameContents")).first.wait_for()
        return frame

    def run(self, command: str) -> Locator:
        """Type and run a command; return its frame."""
        self.type_command(command)
        return self.run_editor()

    def wait_for_layout(self, frame: Locator) -> None:
        """Wait until the graph in the frame has nodes and its force layout stopped moving them."""
        frame.locator("svg g.node").first.wait_for()
        self.page.wait_for_function(LAYOUT_SETTLED_JS, arg=frame.element_handle(), polling=200)


def table_rows(frame: Locator) -> list[dict[str, str]]:
    """The result table of a frame as {column: cell text} rows (strings keep their quotes)."""
    table = frame.locator("table.relatable__table")
    table.wait_for()
    headers = table.locator("th[role=columnheader]").all_inner_texts()
    return [dict(zip(headers, (text.strip() for text in row.locator("td[role=cell]").all_inner_texts())))
            for row in table.locator("tbody tr").all()]


def node_style(frame: Locator, caption: str) -> dict[str, str]:
    """Fill colour, diameter and caption of the graph node whose caption is `caption`."""
    node = frame.locator("svg g.node").filter(has=frame.page.locator("text.caption", has_text=caption)).first
    circle = node.locator("circle.b-outline")
    return {"color": circle.get_attribute("fill").upper(),
            "diameter": f"{2 * int(float(circle.get_attribute('r')))}px",
            "caption": node.locator("text.caption").first.text_content().strip()}


def relationship_captions(frame: Locator) -> set[str]:
    """Captions drawn on the relationships of the graph in the frame."""
    return {text.strip() for text in frame.locator("svg g.relationship text").all_text_contents()}


def graph_counts(frame: Locator) -> tuple[int, int]:
    """(nodes, relationships) drawn in the graph of the frame."""
    return frame.locator("svg g.node").count(), frame.locator("svg g.relationship").count()


@contextmanager
def fullscreen(frame: Locator):
    """The frame in fullscreen (room for a whole graph) while the block runs, then back in the stream."""
    frame.get_by_title("Fullscreen", exact=True).click()
    try:
        yield frame
    finally:
        frame.get_by_title("Close fullscreen", exact=True).click()
