from datetime import date

import pytest

from xuncha.errors import ConfigError
from xuncha.report.circular import TEMPLATE_DIR, load_template
from xuncha.report.notice import load_notice_template
from xuncha.workflow.calendar import add_working_days

DEFAULT = (TEMPLATE_DIR / "circular-default.yaml").read_text(encoding="utf-8")


def _write(tmp_path, text, name="t.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_default_template_loads():
    t = load_template()
    assert t.title == "关于{period}{scope}政府网站和政务新媒体检查情况的通报"
    assert t.doc_number.startswith("〔") and t.recipients.endswith("：")
    assert t.feedback_working_days == 10
    assert any("{deadline}" in r for r in t.requirements)
    assert t.fonts["body"] and t.fonts["heading1"] == "黑体"


def test_template_by_path_and_by_name(tmp_path):
    p = _write(tmp_path, DEFAULT.replace('scope: "全市"', 'scope: "全县"'))
    assert load_template(p).scope == "全县"
    assert load_template(str(p)).scope == "全县"
    with pytest.raises(ConfigError, match="未找到模板「nosuch」.*default"):
        load_template("nosuch")
    with pytest.raises(ConfigError, match="模板文件不存在"):
        load_template(tmp_path / "missing.yaml")


@pytest.mark.parametrize(("old", "new", "message"), [
    ('scope: "全市"\n', "", "缺少「scope」"),
    ("{period}{scope}政府网站", "{period}{area}政府网站", "「title」含未知占位符 {area}"),
    ("feedback_working_days: 10", "feedback_working_days: 十个", "「feedback_working_days」应为 1 到 366"),
    ("feedback_working_days: 10", "feedback_working_days: 10\ncolour: red", "未知的键「colour」"),
    ('  heading1: "黑体"', '  heading3: "黑体"', "「fonts.heading3」不是可用的字体项"),
    ("requirements:\n", "requirements: []\nunused:\n", "未知的键「unused」|「requirements」应为非空列表"),
    ("并于{deadline}前", "并于{deadline前", "「requirements\\[1\\]」花括号不成对"),
])
def test_bad_templates_name_file_and_key(tmp_path, old, new, message):
    assert old in DEFAULT
    p = _write(tmp_path, DEFAULT.replace(old, new, 1))
    with pytest.raises(ConfigError, match=message) as err:
        load_template(p)
    assert str(p) in str(err.value)


def test_not_yaml_or_not_mapping(tmp_path):
    with pytest.raises(ConfigError, match="不是有效的 YAML"):
        load_template(_write(tmp_path, "title: [unclosed"))
    with pytest.raises(ConfigError, match="映射"):
        load_template(_write(tmp_path, "- a\n- b\n"))


def test_folded_lines_do_not_put_spaces_into_chinese(tmp_path):
    text = DEFAULT.replace('scope: "全市"', 'scope: >-\n  全市\n  范围内')
    assert load_template(_write(tmp_path, text)).scope == "全市范围内"


def test_notice_template_loads():
    t = load_notice_template()
    assert "{deadline}" in " ".join(t.requirements)
    assert t.issuer


def test_working_days_follow_the_official_calendar():
    # 2025 National Day: 1-8 October off; Sunday 28 September and Saturday 11 October are working days.
    assert add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert add_working_days(date(2025, 3, 25), 10) == date(2025, 4, 9)  # 清明 4 April
    assert add_working_days(date(2099, 1, 2), 1) == date(2099, 1, 5)  # beyond the calendar: Mon-Fri
