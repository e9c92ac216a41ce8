from xuncha.extract.text import page_segments, snippet

PAGE = """<html><head><title>关于做好安装工作的通知_某市人民政府</title><style>.x{color:red}</style></head><body>
<div id="header"><a href="/">首页</a> 某市人民政府</div>
<div class="nav"><ul><li><a href="/zwgk/">政务公开</a></li></ul></div>
<div class="main"><div class="con"><div class="news-hd">通知公告</div>
<p>各单位：为做好安装工作，现通知如下。</p><p>联系电话：0371-12345678</p>
<div style="display:none"><a href="http://x.example/">隐藏区块文字</a></div>
<script>var a = "脚本文字";</script></div></div>
<div class="footer"><p>京公网安备 11010502030143号 京ICP备05070218号</p></div></body></html>"""


def test_boilerplate_out_content_and_hidden_text_in() -> None:
    segs = page_segments(PAGE)
    texts = [s.text for s in segs]
    assert segs[0].location == "标题" and "安装工作" in segs[0].text
    assert "各单位：为做好安装工作，现通知如下。" in texts
    assert "通知公告" in texts  # a content block called news-hd is not the page header
    assert "隐藏区块文字" in texts  # hidden text stays: injected spam hides there
    joined = " ".join(texts)
    assert "公网安备" not in joined and "政务公开" not in joined and "脚本文字" not in joined
    assert "color:red" not in joined


def test_page_without_body_and_snippet() -> None:
    assert [s.location for s in page_segments("<title>只有标题</title>")] == ["标题"]
    text = "为做好按装工作，现通知如下"
    assert snippet(text, 3, 5, width=3) == "为做好【按装】工作，…"
    assert snippet(text, 5, 7, width=3) == "…好按装【工作】，现通…"
    assert snippet(text, 3, 5, width=3, replacement="**") == "为做好【**】工作，…"
