"""The illnet Browser jar: stock Browser plus guide and style, rebuilt only on change (no database)."""

import json
import zipfile

import pytest

from illnet.errors import ServerError
from illnet.browser.serve import install_browser_content
from illnet.browser.style import grass_text

QUERY = ("// name: one\n// question: One?\n// concept: Smoke test\n// answers: 1\n"
         "// returns: one (integer) - the number one\nRETURN 1 AS one\n")


def make_runtime(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    with zipfile.ZipFile(lib / "org.neo4j.client.neo4j-browser-5.24.0.jar", "w") as jar:
        jar.writestr("browser/", b"")
        jar.writestr("browser/index.html", b"<html>stock</html>")
    queries = tmp_path / "queries" / "basic"
    queries.mkdir(parents=True)
    (queries / "one.cypher").write_text(QUERY)
    return lib, queries.parent


def test_jar_holds_the_stock_browser_and_the_illnet_files(tmp_path):
    lib, queries = make_runtime(tmp_path)
    lines = install_browser_content(tmp_path / "home", lib, 7575, queries)
    with zipfile.ZipFile(tmp_path / "home" / "conf" / "illnet-browser.jar") as jar:
        assert jar.read("browser/index.html") == b"<html>stock</html>"
        assert "One?" in jar.read("browser/illnet/guide.html").decode()
        assert jar.read("browser/illnet/illnet.grass").decode().startswith("node {")
    post_connect, allowed = lines
    assert allowed == "browser.remote_content_hostname_whitelist=guides.neo4j.com,localhost,127.0.0.1"
    # the style inline (no frame fetching it), then a clear (no frame showing it), then the guide
    start, end = "browser.post_connect_cmd=style ", "; clear; play http://127.0.0.1:7575/browser/illnet/guide.html"
    assert post_connect.startswith(start) and post_connect.endswith(end)
    style = post_connect[len(start):-len(end)]
    assert ";" not in style  # the Browser splits the setting at semicolons
    rules = json.loads(style)
    assert rules["node.Participant"]["caption"] == "{participantId}" and rules["relationship.HAS_MEMBER"] == {
        "color": "#7B8088", "shaft-width": "2px", "caption": "{circle}"}  # as written in illnet.grass
    assert len(rules) == grass_text().count("{\n")


def test_jar_is_rewritten_only_when_a_query_changes(tmp_path):
    lib, queries = make_runtime(tmp_path)
    jar = tmp_path / "home" / "conf" / "illnet-browser.jar"
    install_browser_content(tmp_path / "home", lib, 7474, queries)
    first = jar.stat().st_mtime_ns
    install_browser_content(tmp_path / "home", lib, 7474, queries)
    assert jar.stat().st_mtime_ns == first
    (queries / "basic" / "one.cypher").write_text(QUERY.replace("One?", "Exactly one?"))
    install_browser_content(tmp_path / "home", lib, 7474, queries)
    with zipfile.ZipFile(jar) as rebuilt:
        assert "Exactly one?" in rebuilt.read("browser/illnet/guide.html").decode()


def test_a_runtime_without_the_browser_jar_is_reported(tmp_path):
    (tmp_path / "lib").mkdir()
    with pytest.raises(ServerError, match="neo4j-browser.*missing"):
        install_browser_content(tmp_path / "home", tmp_path / "lib", 7474)
