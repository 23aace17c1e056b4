"""Neo4j Browser in a real headless Chromium: log in, run Cypher, play the illnet guide,
run a canned question from it and check the illnet style on a drawn graph.

Needs the managed server started with the illnet Browser content (`illnet server start`
installs it). The Browser is reached at http://127.0.0.1:$ILLNET_HTTP_PORT/browser/
(default 7474); Bolt and the credentials come from the `settings` fixture. The graph
screenshot is saved under the pytest tmp dir, in browser-screenshots*/.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from browser_driver import CHROMIUM, NeoBrowser, chromium_page, node_style, relationship_captions, table_rows

from illnet.browser.style import grass_text
from illnet.load.writer import LABEL_MEMBERS_BY_TIE_CLASS, TIE_CLASS_LABELS

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]

HTTP_PORT = int(os.environ.get("ILLNET_HTTP_PORT", "7474"))
BROWSER_URL = f"http://127.0.0.1:{HTTP_PORT}/browser/"
GUIDE_URL = f"http://127.0.0.1:{HTTP_PORT}/browser/illnet/guide.html"
TINY_STUDY = Path(__file__).parents[1] / "fixtures" / "tiny_study.cypher"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def grass_rules() -> dict[str, dict[str, str]]:
    """The style sheet read independently of the Browser: {'node.Participant': {prop: value}}."""
    rules = re.findall(r"^([\w.]+)\s*\{([^}]*)\}", grass_text(), flags=re.MULTILINE)
    return {selector: dict(re.findall(r"([\w-]+):\s*\"?([^\";]+)\"?;", body)) for selector, body in rules}


def _value(cell: str) -> str | float:
    """A table cell as the Browser shows it: quoted strings unquoted, numbers as numbers."""
    return cell[1:-1] if cell.startswith('"') else float(cell)


@pytest.fixture(scope="module")
def neo_browser(settings):
    """One logged-in Browser page for the module (logging in takes a few seconds)."""
    if not shutil.which(CHROMIUM):
        if IN_CI:
            pytest.fail(f"Chromium is required in CI and was not found at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM} (set ILLNET_CHROMIUM)")
    with chromium_page() as page:
        browser = NeoBrowser(page, BROWSER_URL)
        browser.connect(settings.uri, settings.user, settings.password)
        # browser.post_connect_cmd plays the style and the guide; wait for both frames so
        # that later commands' frames are not confused with them.
        browser.frame_with_text("illnet: analyst questions").wait_for()
        browser.frame_with_text(":style").wait_for()
        yield browser


@pytest.fixture
def tiny_graph(empty_db, settings):
    """The hand-made tiny study, its members labelled by tie class."""
    empty_db.execute_query(TINY_STUDY.read_text(encoding="utf-8"), database_=settings.database)
    with empty_db.session(database=settings.database) as session:  # an implicit transaction: it batches
        session.run(LABEL_MEMBERS_BY_TIE_CLASS, study="tiny", labels=TIE_CLASS_LABELS).consume()
    return empty_db


def test_connecting_loads_the_illnet_style_and_guide(neo_browser):
    style = neo_browser.frame_with_text(":style").inner_text()
    assert "node.Participant" in style and "relationship.PROVIDES" in style
    guide = neo_browser.frame_with_text("illnet: analyst questions")
    assert guide.locator("li", has_text="network_size").count() == 1


def test_browser_runs_cypher(neo_browser):
    frame = neo_browser.run("RETURN 1 AS one")
    assert table_rows(frame) == [{"one": "1"}]


def test_guide_opens_on_connect_and_its_question_answers(neo_browser, tiny_graph):
    guide = neo_browser.frame_with_text("illnet: analyst questions")
    guide.wait_for()
    entry = guide.locator("li", has_text="network_size").inner_text()
    slide = re.search(r"slide (\d+)", entry).group(1)

    neo_browser.run(f":play {GUIDE_URL}#slide-{slide}")
    question = neo_browser.frame_with_text("How large are personal networks")
    question.locator("pre.runnable.params").click()
    params = neo_browser.run_editor()
    assert "groupBy" in params.inner_text()
    question.locator("pre.runnable.query").click()
    rows = [{column: _value(cell) for column, cell in row.items()}
            for row in table_rows(neo_browser.run_editor())]

    # By hand from tests/fixtures/tiny_study.cypher, wave 0: GB = p1 (5 members) and p2 (4);
    # NL = p3 (2).
    assert rows == [
        {"studyId": "tiny", "wave": 0, "stratum": "GB", "participants": 2, "meanSize": 4.5,
         "medianSize": 4.5, "minSize": 4, "maxSize": 5},
        {"studyId": "tiny", "wave": 0, "stratum": "NL", "participants": 1, "meanSize": 2,
         "medianSize": 2, "minSize": 2, "maxSize": 2},
    ]


def test_graph_is_drawn_in_the_illnet_style(neo_browser, tiny_graph, tmp_path_factory):
    frame = neo_browser.run(
        "MATCH (p:Participant {studyId: 'tiny'})-[h:HAS_MEMBER {wave: 0}]->(m:NetworkMember) "
        "WHERE p.participantId IN ['p1', 'p2'] "
        "OPTIONAL MATCH (m)-[l:LINKS_TO {wave: 0}]->(r:Resource) RETURN p, h, m, l, r")
    frame.get_by_title("Fullscreen", exact=True).click()  # room for the whole graph
    neo_browser.wait_for_layout(frame)
    shot = tmp_path_factory.mktemp("browser-screenshots") / "tiny-study-graph.png"
    frame.screenshot(path=shot)
    print(f"graph screenshot: {shot}")

    rules = grass_rules()
    participant, strong, resource = rules["node.Participant"], rules["node.StrongTie"], rules["node.Resource"]
    assert node_style(frame, "p1") == {"color": participant["color"], "diameter": participant["diameter"],
                                       "caption": "p1"}
    # p1's partner: a NetworkMember and a StrongTie, drawn in the tie-class colour.
    assert node_style(frame, "partner")["color"] == strong["color"]
    assert node_style(frame, "Walking Club")["color"] == resource["color"]
    captions = relationship_captions(frame)
    assert {"inner", "middle", "outer", "unplaced"} <= captions  # HAS_MEMBER: circle
    assert {"medication", "comfort"} <= captions  # PROVIDES: task
    assert {"KNOWS", "LINKS_TO"} <= captions
