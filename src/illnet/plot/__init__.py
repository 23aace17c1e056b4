"""Pictures of illness-work networks (matplotlib): egograms of participants, grids of them,
and charts of canned-query results. Each function returns a matplotlib Figure; `save`
writes one as PNG, SVG or PDF.

    from illnet import plot
    figure = plot.egogram("nwe", "P001", compare_waves=True)
    plot.save(plot.chart("composition_by_tie_class", study="nwe"), "composition.png")
"""

from illnet.plot.charts import chart, chart_for
from illnet.plot.egograms import egogram, grid
from illnet.plot.files import save

__all__ = ["chart", "chart_for", "egogram", "grid", "save"]
