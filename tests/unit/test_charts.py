"""Charts of canned-query results (illnet.plot.charts), from hand-made result frames: which
queries a chart fits (read off their returns: headers by hand), and what the bars show."""

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from illnet.errors import PlotError
from illnet.plot import charts
from illnet.query import canned

# From the headers of queries/*/*.cypher: a summary with a category and a number column gets a
# chart (measure = first float column, else first integer); a listing with an id column does not.
CHARTED = {
    "circle_profile": "shareOfCircle", "community_involvement": "share", "comparison_composition": "share",
    "comparison_work": "share", "composition_by_relationship": "share", "composition_by_tie_class": "share",
    "coverage_and_redundancy": "coverage", "network_size": "meanSize", "network_type_kmeans": "share",
    "network_type_profiles": "share", "partner_substitution": "othersPerParticipant", "professional_niche": "share",
    "reciprocity_by_tie_class": "reciprocalShare", "tie_durability": "retainedShare",
    "work_per_member_by_tie_class": "flowsPerMember", "work_share_by_tie_class": "shareOfWorkType",
}
TIE_CLASS = {"strong": "#d9534f", "weak": "#4c8eda", "professional": "#2e9e5b", "non_human": "#c990c0"}


def bars(figure) -> dict[str, tuple[float, str]]:
    """'x|group' -> (height, colour) of every bar."""
    return {patch.get_gid()[4:]: (patch.get_height(), to_hex(patch.get_facecolor()))
            for patch in figure.axes[0].patches if (patch.get_gid() or "").startswith("bar|")}


@pytest.mark.parametrize("name", sorted(canned.catalogue()))
def test_a_chart_fits_exactly_the_summary_queries(name):
    query = canned.get(name)
    if name in CHARTED:
        assert charts.spec(query).measure.name == CHARTED[name]
    else:
        with pytest.raises(PlotError, match=f"no chart fits query {name}"):
            charts.spec(query)


def test_composition_bars_are_the_shares_in_tie_class_colours():
    frame = pd.DataFrame({"tieClass": ["strong", "weak", "professional", "non_human"], "members": [5, 3, 2, 1],
                          "share": [5 / 11, 3 / 11, 2 / 11, 1 / 11]})
    figure = charts.chart_for(canned.get("composition_by_tie_class"), frame)
    assert bars(figure) == {f"{c}|{c}": (pytest.approx(n / 11), TIE_CLASS[c])
                            for c, n in [("strong", 5), ("weak", 3), ("professional", 2), ("non_human", 1)]}
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_xticklabels()] == ["strong", "weak", "professional", "non_human"]
    assert axes.get_ylabel().startswith("share: share of all members")
    assert axes.yaxis.get_major_formatter()(0.25, 0) == "25%"


def test_durability_groups_by_circle_in_vocabulary_order_and_leaves_undefined_shares_undrawn():
    # three tie classes and three circles: a tie, so the first declared (tieClass) goes along the axis
    frame = pd.DataFrame({"tieClass": ["strong", "strong", "weak", "professional"],
                          "circle": ["middle", "inner", "outer", "outer"], "atWave": [2, 3, 0, 2],
                          "retained": [1, 3, 0, 1], "lost": [1, 0, 0, 1], "gained": [0, 0, 1, 0],
                          "retainedShare": [0.5, 1.0, None, 0.5]})
    figure = charts.chart_for(canned.get("tie_durability"), frame)
    drawn = bars(figure)
    assert {key: height for key, (height, _) in drawn.items()} == {
        "strong|middle": 0.5, "strong|inner": 1.0, "professional|outer": 0.5}
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_xticklabels()] == ["strong", "weak", "professional"]
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["inner", "middle", "outer"]
    assert "n/a" in [t.get_text() for t in axes.texts]
    # inner left of middle within the strong group
    positions = {p.get_gid(): p.get_x() for p in axes.patches if p.get_gid()}
    assert positions["bar|strong|inner"] < positions["bar|strong|middle"]


def test_network_size_puts_countries_on_the_axis_and_waves_in_groups():
    frame = pd.DataFrame({"studyId": ["s"] * 4, "wave": [0, 0, 1, 1], "stratum": ["GB", "NL", "GB", "NL"],
                          "participants": [2, 1, 2, 1], "meanSize": [4.5, 2.0, 4.0, 2.0], "medianSize": [4.5, 2, 4, 2],
                          "minSize": [4, 2, 4, 2], "maxSize": [5, 2, 4, 2]})
    figure = charts.chart_for(canned.get("network_size"), frame)
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_xticklabels()] == ["GB", "NL"]
    assert axes.get_legend().get_title().get_text() == "wave"
    assert {key: height for key, (height, _) in bars(figure).items()} == {
        "GB|0": 4.5, "NL|0": 2.0, "GB|1": 4.0, "NL|1": 2.0}
    assert np.isclose(axes.get_ylim()[0], 0)


def test_an_empty_result_is_an_error_that_carries_its_note():
    frame = pd.DataFrame(columns=["tieClass", "circle", "atWave", "retained", "lost", "gained", "retainedShare"])
    frame.attrs["note"] = "tie_durability: no members are named at the wave after wave 0"
    with pytest.raises(PlotError, match="no rows.*no members are named at the wave after"):
        charts.chart_for(canned.get("tie_durability"), frame)


def test_the_picture_file_type_follows_the_suffix(tmp_path):
    with pytest.raises(PlotError, match="cannot write a picture as 'chart.gif'"):
        charts.check(canned.get("network_size"), tmp_path / "chart.gif")
    frame = pd.DataFrame({"tieClass": ["strong"], "members": [1], "share": [1.0]})
    for suffix, magic in [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")]:
        path = charts.write(canned.get("composition_by_tie_class"), frame, tmp_path / f"c.{suffix}")
        again = charts.write(canned.get("composition_by_tie_class"), frame, tmp_path / f"again.{suffix}")
        assert path.read_bytes().startswith(magic)
        if suffix != "svg":   # matplotlib gives SVG elements fresh ids on every write
            assert path.read_bytes() == again.read_bytes()
