import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from xuncha.errors import ConfigError
from xuncha.registry.tasks import load_repost_tasks


def test_json_and_xlsx_tasks(tmp_path: Path) -> None:
    j = tmp_path / "t.json"
    j.write_text(json.dumps([{"title": "国务院关于进一步优化营商环境的通知", "url": "https://www.gov.cn/a.htm",
                              "deadline": "2025-03-18", "targets": ["gh_1", "gh_2"]}], ensure_ascii=False),
                 encoding="utf-8")
    (task,) = load_repost_tasks(j)
    assert task["deadline"] == date(2025, 3, 18) and task["targets"] == ["gh_1", "gh_2"]
    wb = Workbook()
    ws = wb.active
    ws.append(["任务标题", "来源链接", "截止日期", "转载对象"])
    ws.append(["关于做好春季防火工作的通知", "http://www.shili.gov.cn/x.html", "2025年3月20日", "gh_1，wb_2"])
    wb.save(tmp_path / "t.xlsx")
    (task,) = load_repost_tasks(tmp_path / "t.xlsx")
    assert task["title"] == "关于做好春季防火工作的通知" and task["deadline"] == date(2025, 3, 20)
    assert task["targets"] == ["gh_1", "wb_2"]
    assert load_repost_tasks(None) == []


def test_bad_task_rows_are_named(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    p.write_text("标题,截止日期,转载对象\n某通知,下周,gh_1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="第2行：截止日期「下周」无法识别"):
        load_repost_tasks(p)
    with pytest.raises(ConfigError, match="不存在"):
        load_repost_tasks(tmp_path / "none.json")
