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
from browser_driver import (CHROMIUM, NeoBrowser, chromium_page, fullscreen, graph_counts, node_style,
                            relationship_captions, table_rows)

from illnet import examples
from illnet.browser.style import grass_text
from illnet.load.pipeline import load_study
from illnet.load.writer import TIE_CLASS_LABELS
from illnet.queries import run
from tests.conftest import IN_CI
from tests.fixture_graph import create_study

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]

HTTP_PORT = int(os.environ.get("ILLNET_HTTP_PORT", "7474"))
BROWSER_URL = f"http://127.0.0.1:{HTTP_PORT}/browser/"
GUIDE_URL = f"http://127.0.0.1:{HTTP_PORT}/browser/illnet/guide.html"
TINY_STUDY = Path(__file__).parents[1] / "fixtures" / "tiny_study.cypher"


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
        # browser.post_connect_cmd applies the style, clears the frames and plays the guide; wait
        # for the guide so that later commands' frames are not confused with it.
        browser.frame_with_text("illnet: analyst questions").wait_for()
        yield browser


@pytest.fixture
def tiny_graph(empty_db, settings):
    """The hand-made tiny study, its members labelled by tie class."""
    create_study(empty_db, settings.database, TINY_STUDY)
    # The loader gives each member its tie-class label as it writes it; this study is written in Cypher.
    empty_db.execute_query("MATCH (m:NetworkMember {studyId: 'tiny'}) WHERE m.tieClass IN keys($labels) "
                           "SET m:$($labels[m.tieClass])", labels=TIE_CLASS_LABELS, database_=settings.database)
    return empty_db


def test_connecting_opens_the_guide_and_no_frame_of_style_text(neo_browser):
    # The one frame on connect is the guide (the style is applied: see the drawn-graph test).
    assert neo_browser.frames().count() == 1
    guide = neo_browser.frame_with_text("illnet: analyst questions")
    assert guide.locator("li", has_text="network_size").count() == 1
    assert neo_browser.frames().filter(has_text="node.Participant").count() == 0


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
    neo_browser.run(":param study => 'tiny'")  # the example names the bundled study nwe
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
    with fullscreen(frame):  # room for the whole graph
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


@pytest.fixture
def nwe_graph(empty_db, settings):
    """The bundled study nwe, loaded as `illnet demo` loads it."""
    load_study(empty_db, examples.mapping_path("nwe"), database=settings.database, progress=False)
    return empty_db


def _play_slide_of(neo_browser, name: str) -> None:
    """Play the guide at the slide the index gives for the query `name`."""
    entry = neo_browser.frame_with_text("illnet: analyst questions").locator("li", has_text=name).inner_text()
    number = re.search(r"slide (\d+)", entry).group(1)
    neo_browser.run(f":play {GUIDE_URL}#slide-{number}")


def test_a_guide_example_answers_as_given_on_the_bundled_study(neo_browser, nwe_graph, settings):
    guide = neo_browser.frame_with_text("illnet: analyst questions")
    guide.locator("pre.runnable.query", has_text="MATCH (s:Study)").click()
    studies = table_rows(neo_browser.run_editor())
    assert [(row["study"], row["participants"]) for row in studies] == [('"nwe"', "300")]

    _play_slide_of(neo_browser, "composition_by_tie_class")
    question = neo_browser.frame_with_text("What share of network members are strong")
    question.locator("pre.runnable.params").click()
    neo_browser.run_editor()
    question.locator("pre.runnable.query").click()
    rows = [{column: _value(cell) for column, cell in row.items()} for row in table_rows(neo_browser.run_editor())]
    expected = run("composition_by_tie_class", driver=nwe_graph, settings=settings, study="nwe")
    assert len(rows) == len(expected) == 4  # strong, weak, professional, non_human
    assert [(row["tieClass"], row["members"]) for row in rows] == list(
        zip(expected["tieClass"], expected["members"], strict=True))


def test_the_one_participant_slide_draws_one_wave_without_the_hairball(neo_browser, nwe_graph, settings):
    # Counted independently: P0001's members at wave 0, and the KNOWS ties between two of them.
    counts = nwe_graph.execute_query(
        "MATCH (p:Participant {studyId: 'nwe', participantId: 'P0001'})-[:HAS_MEMBER {wave: 0}]->(m) "
        "WITH p, collect(m) AS members "
        "RETURN size(members) AS members, COUNT { MATCH (a)-[:KNOWS {wave: 0}]->(b) "
        "WHERE a IN members AND b IN members } AS ties", database_=settings.database).records[0]
    assert counts["members"] > 0 and counts["ties"] > 0

    guide = neo_browser.frame_with_text("illnet: analyst questions")
    number = re.search(r"One participant's network.*?slide (\d+)", guide.inner_text(), flags=re.DOTALL).group(1)
    neo_browser.run(f":play {GUIDE_URL}#slide-{number}")
    slide = neo_browser.frame_with_text("One participant's network at one wave")
    assert "Connect result nodes" in slide.inner_text() and ":config autoComplete: false" in slide.inner_text()
    slide.locator("pre.runnable.params").first.click()
    neo_browser.run_editor()
    slide.locator("pre.runnable.query").first.click()
    frame = neo_browser.run_editor()
    with fullscreen(frame):
        neo_browser.wait_for_layout(frame)
        # the participant and its members; one HAS_MEMBER per member and the ties among them, nothing else
        assert graph_counts(frame) == (counts["members"] + 1, counts["members"] + counts["ties"])
        assert "KNOWS" in relationship_captions(frame)
