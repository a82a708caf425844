"""The server's SVG charts, read back by lxml: a title and a description for screen
readers, bars whose heights keep the values' proportions on round-numbered axes, and
counts a reader may not see drawn hatched with their words, never their number."""

import shapely.geometry
from lxml import etree

from kafo.charts import Series, bar_chart, choropleth, horizontal_bars, nice_ceiling, ticks

SVG = "{http://www.w3.org/2000/svg}"


def _tree(svg: str):
    return etree.fromstring(svg.encode())


def _bars(tree) -> list[tuple[float, str, str]]:
    return [(float(r.get("height")), r.get("fill"), r.findtext(f"{SVG}title"))
            for r in tree.iter(f"{SVG}rect") if r.findtext(f"{SVG}title")]  # fmt: skip


def test_round_axes():
    assert [nice_ceiling(v) for v in (0, 0.3, 7, 37, 120, 4_100_000)] == [1, 0.5, 10, 50, 200,
                                                                         5_000_000]  # fmt: skip
    assert ticks(50) == 5 and ticks(200) == 4 and ticks(1000) == 5


def test_bars_keep_the_proportions_and_say_their_values():
    svg = bar_chart(["2024", "2025"], [Series("Tués", [10, 30]), Series("Blessés", [20, 0])],
                    "Victimes", "Victimes par année")  # fmt: skip
    tree = _tree(svg)
    assert tree.findtext(f"{SVG}title") == "Victimes"
    assert tree.findtext(f"{SVG}desc") == "Victimes par année"
    bars = _bars(tree)
    assert [title for _h, _f, title in bars] == ["2024 · Tués: 10", "2024 · Blessés: 20",
                                                  "2025 · Tués: 30"]  # fmt: skip
    heights = [h for h, _f, _t in bars]
    assert abs(heights[1] / heights[0] - 2) < 0.01 and abs(heights[2] / heights[0] - 3) < 0.01
    labels = [t.text for t in tree.iter(f"{SVG}text")]
    assert labels[:5] == ["0", "10", "20", "30", "40"]  # round steps up to 50
    assert "50" in labels


def test_hidden_counts_are_hatched_with_their_words():
    tree = _tree(bar_chart(["janv.", "févr."], [Series("Victimes", [12, "<5"])], "Victimes",
                           hidden_label="1 à 4"))  # fmt: skip
    (shown, hidden) = _bars(tree)
    assert hidden[1] == "url(#hidden)" and hidden[2] == "févr. · Victimes: <5"
    assert shown[2] == "janv. · Victimes: 12"
    assert "1 à 4" in [t.text for t in tree.iter(f"{SVG}text")]
    svg = horizontal_bars(["Mopti", "Kayes"], [778, "<5"], "Par région")
    assert "Kayes: &lt;5" in svg and ">778<" in svg
    _tree(svg)


def test_a_map_draws_each_unit_by_its_class_and_the_points():
    west = shapely.geometry.box(-5, 14, -4, 15)
    east = shapely.geometry.box(-4, 14, -3, 15)
    tree = _tree(choropleth([("Ouest", west, 10), ("Est", east, "<5")], "Carte",
                            points=[(-4.5, 14.5)], point_label="Zones dangereuses"))  # fmt: skip
    paths = {p.findtext(f"{SVG}title"): p.get("fill") for p in tree.iter(f"{SVG}path")
             if p.findtext(f"{SVG}title")}  # fmt: skip
    assert paths["Est: <5"] == "url(#hidden)" and paths["Ouest: 10"].startswith("#")
    assert len(list(tree.iter(f"{SVG}circle"))) == 2  # the point and its legend
