"""Honest answers without a database (issue 12): parameter conversion and checks, the `needs:`
and vocabulary headers, connection URIs, and tables that never cut a value."""

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from illnet import examples
from illnet.cli.output import render
from illnet.db import check_uri
from illnet.errors import CatalogueError, ConnectionFailed, QueryError
from illnet.query import canned
from illnet.query.params import bind, parse_literal

HEADER = """\
// name: counting
// question: How many?
// concept: Counting (not a proxy)
{needs}// param: wave (integer, default 0) - wave
// param: how (string, default 'a', choices a|b) - how
// param: kinds (list, default ['pharmacy'], vocabulary resource_type) - kinds
// returns: n (integer) - how many
MATCH (r:Resource) WHERE r.resourceType IN $kinds AND $how <> '' AND $wave >= 0
RETURN count(*) AS n
"""


def load_one(tmp_path, needs=""):
    folder = tmp_path / "theme"
    folder.mkdir(exist_ok=True)
    (folder / "counting.cypher").write_text(textwrap.dedent(HEADER.format(needs=needs)))
    return canned.load(tmp_path)["counting"]


def test_list_parameters_read_json_cypher_and_comma_forms(tmp_path):
    query = load_one(tmp_path)
    for text in ('["pharmacy", "faith_group"]', "['pharmacy', 'faith_group']", "pharmacy, faith_group"):
        assert bind(query, {"kinds": text}, from_text=True)["kinds"] == ["pharmacy", "faith_group"], text


def test_list_values_are_checked_against_their_vocabulary(tmp_path):
    query = load_one(tmp_path)
    with pytest.raises(QueryError, match="'faith_grup' is not a resource_type code") as error:
        bind(query, {"kinds": "pharmacy,faith_grup"}, from_text=True)
    assert "faith_group" in error.value.hint and "gp_practice" in error.value.hint
    with pytest.raises(QueryError, match="is not a resource_type code"):
        bind(query, {"kinds": '["faith group"]'}, from_text=True)


def test_numpy_and_pandas_scalars_bind_as_plain_values(tmp_path):
    query = load_one(tmp_path)
    frame = pd.DataFrame({"wave": [1], "how": ["b"]})
    bound = bind(query, {"wave": frame["wave"].iloc[0], "how": frame["how"].iloc[0],
                         "kinds": np.array(["pharmacy"])})
    assert bound == {"wave": 1, "how": "b", "kinds": ["pharmacy"]}
    assert type(bound["wave"]) is int


def test_integers_beyond_64_bits_are_refused(tmp_path):
    query = load_one(tmp_path)
    with pytest.raises(QueryError, match="too large for Neo4j"):
        bind(query, {"wave": 2 ** 63})
    with pytest.raises(QueryError, match="too large for Neo4j"):
        bind(query, {"wave": str(2 ** 64)}, from_text=True)
    assert bind(query, {"wave": 2 ** 63 - 1})["wave"] == 2 ** 63 - 1


def test_conditional_and_job_needs_are_parsed_and_checked(tmp_path):
    query = load_one(tmp_path, needs="// needs: support_flows, circles when how = b, job:network_types\n")
    assert query.need_names == ("support_flows", "circles", "job:network_types")
    circles = query.needs[1]
    assert circles.applies({"how": "b"}) and not circles.applies({"how": "a"})
    assert "(when how = b)" in circles.describe()
    with pytest.raises(CatalogueError, match="how is not a parameter with the choice 'c'"):
        load_one(tmp_path, needs="// needs: circles when how = c\n")
    with pytest.raises(CatalogueError, match="unknown need 'job:nothing'"):
        load_one(tmp_path, needs="// needs: job:nothing\n")


def test_every_job_need_names_a_job_of_the_catalogue():
    from illnet.query import jobs

    named = {need.removeprefix("job:") for need in canned.NEEDS if need.startswith("job:")}
    assert named <= set(jobs.catalogue())


def test_every_example_sets_a_bundled_study_or_none():
    for query in canned.catalogue().values():
        settings = dict(line.removeprefix(":param ").rstrip(";").split(" => ", 1)
                        for line in query.example.splitlines())
        if "study" in settings:
            assert parse_literal(settings["study"]) in (*examples.STUDIES, None), query.name


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "https://db.example.org"])
def test_a_web_address_is_refused_with_the_bolt_form(uri):
    with pytest.raises(ConnectionFailed, match="is a web address") as error:
        check_uri(uri)
    assert "bolt://" in error.value.hint


def test_bolt_and_neo4j_uris_pass_and_nonsense_is_refused():
    for uri in ("bolt://127.0.0.1:7687", "neo4j+s://db.example.org", "bolt+ssc://host:1"):
        check_uri(uri)
    with pytest.raises(ConnectionFailed, match="is not a Neo4j URI"):
        check_uri("127.0.0.1:7687")


WIDE = pd.DataFrame({
    "stratum": ["deprived_urban", "deprived_rural"],
    "participantsWithRedundancy": [1310, 1158],
    "coverage": [0.0000125, 0.9411],
    "meanProviders": [1234567.5, 2.2233],
    "question": ["What share of network members are strong, weak, professional and non-human ties?", "Who?"],
})


@pytest.mark.parametrize("width", [40, 80, 120, 200])
def test_tables_never_cut_a_number_or_an_identifier(width):
    text = render(WIDE, "table", width)
    assert "…" not in text
    for value in ("deprived_urban", "deprived_rural", "participantsWithRedundancy", "1310", "1158",
                  "1.25e-05", "1234567.5", "0.9411", "2.2233", "non-human"):
        assert value in text, (width, value)
    assert max(map(len, text.splitlines())) <= width or "-[ row 1 ]" in text


def test_a_table_too_wide_for_the_terminal_turns_vertical():
    vertical = render(WIDE, "table", 80)
    assert vertical.splitlines()[:3] == ["-[ row 1 ]" + "-" * 20, "stratum                     deprived_urban",
                                         "participantsWithRedundancy  1310"]
    assert "-[ row 2 ]" in vertical
    table = render(WIDE.drop(columns="question"), "table", 200)
    assert "-[ row" not in table and table.splitlines()[0].split() == [
        "stratum", "┃", "participantsWithRedundancy", "┃", "coverage", "┃", "meanProviders"]


def test_free_text_wraps_at_spaces_in_a_narrow_table():
    listing = pd.DataFrame({"name": ["work_per_member_by_tie_class"],
                            "question": ["How much work does a member of each tie class do (do weak ties do "
                                         "similar but less work)?"]})
    text = render(listing, "table", 60)
    assert "work_per_member_by_tie_class" in text and max(map(len, text.splitlines())) <= 60
    words = " ".join(line.split("│")[-1].strip() for line in text.splitlines()[2:])
    assert words == listing.iloc[0]["question"]


def test_an_integer_beyond_64_bits_in_a_data_file_is_one_line(tmp_path):
    import shutil

    from click.testing import CliRunner

    from illnet.cli import IllnetGroup
    from illnet.cli.mapping import validate

    study = tmp_path / "study"
    shutil.copytree(Path(__file__).parents[1] / "fixtures" / "long", study)
    ties = study / "member_ties.csv"
    ties.write_text(ties.read_text().replace("P1,M2,M1,0", f"P1,M2,M1,{2 ** 70}"))
    result = CliRunner().invoke(IllnetGroup("illnet", commands=[validate]), ["validate", str(study / "mapping.yaml")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    error, hint = result.stderr.splitlines()
    assert error.startswith("error: a number is too large for Neo4j")
    assert hint == "hint: Neo4j integers are 64-bit; store such values as text or floats"


def test_a_note_and_a_warning_are_printed_as_written_once_each(capsys):
    # a note may quote a study's own words, brackets included: never read as rich markup
    from illnet.cli.output import emit
    from illnet.query.rows import Rows

    result = Rows(["x"], [], {"note": "study 'a[b]' records [bold]no[/bold] ties", "warnings": ["Neo4j: [x] is odd"]})
    emit(result, "csv")
    captured = capsys.readouterr()
    assert captured.err == "warning: Neo4j: [x] is odd\nnote: study 'a[b]' records [bold]no[/bold] ties\n"
    assert captured.out == "x\n"
