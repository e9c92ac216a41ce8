import warnings
from pathlib import Path

import pytest

from xuncha.errors import ConfigError
from xuncha.report import fonts

TEXT = "政府网站和政务新媒体合格率：东区、西县、南县"


def _draw(family: str) -> list[str]:
    """Render TEXT with ``family``; the warnings matplotlib emitted (missing glyphs)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 1))
    ax.set_title(TEXT, fontfamily=family)
    ax.set_yticks([0], labels=["青山市"], fontfamily=family)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    plt.close(fig)
    return [str(w.message) for w in caught]


def test_registered_family_renders_chinese_without_tofu():
    family = fonts.register_cjk_font()
    assert "CJK" in family or "Hei" in family or "Song" in family
    messages = _draw(family)
    assert not [m for m in messages if "Glyph" in m and "missing" in m], messages


def test_without_a_cjk_font_matplotlib_would_warn():
    """Control: the glyph check above would catch tofu (DejaVu Sans has no Chinese glyphs)."""
    messages = _draw("DejaVu Sans")
    assert any("Glyph" in m and "missing" in m for m in messages)


def test_noto_collection_picks_the_simplified_chinese_face():
    path = fonts.find_cjk_font()
    if path.suffix.lower() == ".ttc" and "Noto" in path.name:
        assert fonts.register_cjk_font().endswith(" SC")


def test_env_var_comes_first(monkeypatch):
    path = fonts.find_cjk_font()
    monkeypatch.setenv(fonts.ENV_VAR, str(path))
    monkeypatch.setattr(fonts, "_fontconfig_match", lambda: pytest.fail("fontconfig asked before the env var"))
    assert fonts.find_cjk_font() == path


def test_env_var_missing_file_is_a_chinese_error(monkeypatch, tmp_path):
    monkeypatch.setenv(fonts.ENV_VAR, str(tmp_path / "nope.ttf"))
    with pytest.raises(ConfigError, match="XUNCHA_CJK_FONT.*不存在"):
        fonts.find_cjk_font()


def test_env_var_font_without_chinese_glyphs(monkeypatch):
    from matplotlib import font_manager

    dejavu = font_manager.findfont("DejaVu Sans")
    monkeypatch.setenv(fonts.ENV_VAR, dejavu)
    with pytest.raises(ConfigError, match="不含中文字形.*fonts-noto-cjk"):
        fonts.find_cjk_font()


def test_no_font_anywhere_names_the_package(monkeypatch):
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts, "_fontconfig_match", lambda: None)
    monkeypatch.setattr(fonts, "KNOWN_PATHS", ("/nonexistent/font.ttc",))
    with pytest.raises(ConfigError) as err:
        fonts.find_cjk_font()
    assert "apt-get install fonts-noto-cjk" in str(err.value)
    assert fonts.ENV_VAR in str(err.value)


def test_fontconfig_result_must_have_chinese_glyphs(monkeypatch, tmp_path):
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font")
    assert fonts._has_cjk(junk) is False
    assert fonts._has_cjk(Path(fonts.find_cjk_font())) is True
