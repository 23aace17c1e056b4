"""The study report of the tiny hand-made study (tests/fixtures/tiny_study.cypher), opened in
Debian's headless Chromium over a loopback HTTP server: it renders without console errors,
requests nothing but itself, and its tables and charts show what the queries return.

Hand-worked facts of the fixture used here (see its header and tests/integration/test_queries_golden.py):
  wave 0: 3 participants name 11 members, 19 support flows to participants, 6 member ties (KNOWS)
  wave 1: 3 participants name 10 members (p1 4, p2 4, p3 2), 20 flows (p1 8, p2 7, p3 5), 5 member ties
  composition at wave 0: strong 5, weak 3, professional 2, non_human 1 of 11
"""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from browser_driver import chromium_page
from illnet.db import erase_all
from illnet.queries import run
from illnet.errors import QueryError
from illnet.query import canned
from illnet.report import build
from illnet.values import cell_text
from tests.load_helpers import run_illnet
from tests.fixture_graph import create_study

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]

FIXTURE = Path(__file__).parents[1] / "fixtures" / "tiny_study.cypher"
TIE_CLASS = {"strong": (0xD9, 0x53, 0x4F), "weak": (0x4C, 0x8E, 0xDA), "professional": (0x2E, 0x9E, 0x5B),
             "non_human": (0xC9, 0x90, 0xC0)}
ROWS_JS = """(table) => Array.from(table.querySelectorAll('tbody tr'))
                          .map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.textContent))"""
IMAGES_JS = "() => Array.from(document.images).map(img => [img.complete, img.naturalWidth])"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def report(driver, settings, tmp_path_factory):
    """The tiny study's report, built once, and the URL it is served at on the loopback."""
    erase_all(driver, settings.database)
    create_study(driver, settings.database, FIXTURE)
    path = build("tiny", tmp_path_factory.mktemp("report"), sample=3, driver=driver, settings=settings)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(path.parent)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield path, f"http://127.0.0.1:{server.server_port}/{path.name}"
    server.shutdown()


@pytest.fixture(scope="module")
def page(report):
    """The report open in Chromium, with every console message, page error and request seen."""
    with chromium_page(1280, 1000) as page:
        seen = {"console": [], "errors": [], "requests": []}
        page.on("console", lambda message: seen["console"].append((message.type, message.text)))
        page.on("pageerror", lambda error: seen["errors"].append(str(error)))
        page.on("request", lambda request: seen["requests"].append(request.url))
        page.goto(report[1], wait_until="load")
        yield page, seen


def test_the_report_is_one_file_that_renders_without_errors(page, report):
    page, seen = page
    assert [m for m in seen["console"] if m[0] in ("error", "warning")] == []
    assert seen["errors"] == []
    assert [url for url in seen["requests"] if not url.startswith("data:")] == [report[1]]
    images = page.evaluate(IMAGES_JS)
    assert images and all(complete and width > 0 for complete, width in images)
    assert page.title() == "illnet report: study tiny"


def test_every_canned_question_has_a_section_with_the_table_it_was_built_from(page, driver, settings):
    page, _ = page
    sections = page.locator("section.question")
    assert sorted(sections.evaluate_all("els => els.map(e => e.dataset.query)")) == sorted(canned.catalogue())
    for name, query in canned.catalogue().items():
        section = page.locator(f"section[data-query='{name}']")
        assert section.locator("h3").inner_text() == query.question
        try:
            frame = run(name, study="tiny", driver=driver, settings=settings)
        except QueryError as refused:  # the question needs a choice (an attribute): the report says which
            assert refused.message in section.locator("p.note").inner_text(), name
            continue
        if not len(frame):
            assert section.locator("p.empty").inner_text() == "No rows."
            continue
        headers = section.locator("table.rows th").all_inner_texts()
        assert headers == [column.name for column in query.returns]
        expected = [[cell_text(value, 4) for value in row] for row in frame.head(50).itertuples(index=False)]
        assert section.locator("table.rows").evaluate(ROWS_JS) == expected, name


def test_tables_hold_the_hand_worked_figures(page):
    page, _ = page
    waves = page.locator("#summary table.rows").evaluate(ROWS_JS)
    assert waves == [["0", "3", "11", "19", "6"], ["1", "3", "10", "20", "5"]]
    composition = page.locator("section[data-query='composition_by_tie_class'] table.rows").evaluate(ROWS_JS)
    assert composition == [["strong", "5", "0.4545"], ["weak", "3", "0.2727"], ["professional", "2", "0.1818"],
                           ["non_human", "1", "0.0909"]]
    facts = dict(zip(page.locator("#summary table.facts th").all_inner_texts(),
                     page.locator("#summary table.facts td").all_inner_texts()))
    assert facts["name"] == "Tiny hand-made study" and facts["countries"] == "GB; NL"


def test_the_composition_chart_on_screen_has_bars_as_high_as_the_table_says(page, tmp_path):
    page, _ = page
    chart = page.locator("section[data-query='composition_by_tie_class'] img.chart")
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=tmp_path / "chart.png")
    shot = np.asarray(Image.open(tmp_path / "chart.png").convert("RGB")).astype(int)
    heights = {}
    for tie_class, colour in TIE_CLASS.items():
        mask = np.abs(shot - np.array(colour)).sum(axis=2) <= 12
        rows = np.nonzero(mask.any(axis=1))[0]
        heights[tie_class] = rows.max() - rows.min() + 1
    # members 5, 3, 2, 1 (the table): bar heights in the same proportions, to a couple of pixels
    for tie_class, members in [("weak", 3), ("professional", 2), ("non_human", 1)]:
        assert abs(heights[tie_class] - heights["strong"] * members / 5) <= 3, heights


def test_charts_where_they_fit_and_egograms(page):
    page, _ = page
    for name in ("composition_by_tie_class", "tie_durability", "network_size", "work_share_by_tie_class"):
        assert page.locator(f"section[data-query='{name}'] img.chart").count() == 1, name
    for name in ("work_reallocation", "unmet_work", "pet_ownership"):
        assert page.locator(f"section[data-query='{name}'] img.chart").count() == 0, name
    captions = page.locator("#egograms figcaption").all_inner_texts()
    assert len(captions) == 2
    assert captions[0].startswith("3 participants drawn with seed 1, wave 0")
    assert captions[1].startswith("participant p1, waves 0 and 1")


def test_the_command_writes_the_report_or_says_why_not(report, settings, tmp_path):
    result = run_illnet(settings, tmp_path, "report", "tiny", "--out", str(tmp_path / "out"), "--sample", "1")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "tiny.html").read_text(encoding="utf-8").count("data:image/png;base64,") >= 2
    result = run_illnet(settings, tmp_path, "report", "nosuch", "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "there is no study 'nosuch'" in result.stderr
    assert "Traceback" not in result.stderr
