import warnings

from xuncha.report import charts


def _png_size(path):
    from PIL import Image

    with Image.open(path) as im:
        return im.size


def test_pass_rate_by_region(report, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = charts.pass_rate_by_region(report, tmp_path / "region.png")
    assert path == tmp_path / "region.png"
    assert path.stat().st_size > 10_000
    width, height = _png_size(path)
    assert width > 800 and height > 300  # dpi 150
    assert not [w for w in caught if "Glyph" in str(w.message)]


def test_region_rows_drop_the_single_root(report):
    assert [r.label for r in charts.region_rows(report)] == ["东区", "西县", "南县"]


def test_problems_by_indicator_and_platform(report, tmp_path):
    p = charts.problems_by_indicator(report, tmp_path / "p.png")
    q = charts.pass_rate_by_platform(report, tmp_path / "q.png")
    assert p.stat().st_size > 10_000 and q.stat().st_size > 10_000


def test_write_charts_names_all(report, tmp_path):
    made = charts.write_charts(report, tmp_path / "charts")
    assert set(made) == {"region", "platform", "problems"}
    assert all(p.is_file() and p.parent == tmp_path / "charts" for p in made.values())


def test_no_data_no_chart(factory, tmp_path):
    empty = factory(verdicts=[])
    assert charts.pass_rate_by_region(empty, tmp_path / "a.png") is None
    assert charts.problems_by_indicator(empty, tmp_path / "b.png") is None
    assert charts.pass_rate_by_platform(empty, tmp_path / "c.png") is None
    assert charts.write_charts(empty, tmp_path) == {}
    assert not list(tmp_path.glob("*.png"))
