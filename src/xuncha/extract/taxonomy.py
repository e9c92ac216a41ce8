"""Column classification (栏目分类) per indicators.md §5.

A column's class decides which update rule applies to it (NEWS 14 days, NOTICE/POLICY 6
months, PERIODIC 1 year, ...), so a wrong class produces a wrong veto. Evidence is weighed
in this order, each with its own confidence:

1. the inspector's per-site override table (rule ``override``, 1.0);
2. the column name, normalised (spaces, brackets, a trailing 栏目/专栏 removed), matched by
   contains against the §5 word lists in the §5 order (rule ``name:要闻``, 0.95), then
   against short generic words (``name:动态``, 0.8);
3. the breadcrumb (面包屑) segments, nearest first (``breadcrumb:通知公告``, 0.75 / 0.6);
4. pinyin-initial folders of the URL, deepest first (``url:tzgg``, 0.6).

Unmatched columns are OTHER: no update rule counts them.

Deliberate refinements of the plain §5 order, each because real names would go wrong:
* a name containing 专题 is SPECIAL before NOTICE/POLICY/NEWS (疫情防控专题 is a topic);
* POLICY is skipped for names with 解读/回应 (政策文件解读 is INTERPRET);
* NOTICE is skipped for 办件公示 (a SERVICE name in §5);
* NEWS is skipped for history names (往期, 历史, 回顾, 归档): history topics are not NEWS.
"""

from __future__ import annotations

import functools
import re

from xuncha.model import COLUMN_CLASSES

CONF_OVERRIDE = 1.0
CONF_NAME = 0.95
CONF_NAME_GENERIC = 0.8
CONF_BREADCRUMB = 0.75
CONF_BREADCRUMB_PARENT = 0.6
CONF_URL = 0.6

# (class, specific names, generic words) in match order. Specific names come from §5.
_CLASSES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("EXCLUDE", ("网上信访", "纪检举报", "监督举报", "举报投诉", "信访"), ("举报",)),
    ("CONSULT",
     ("领导信箱", "书记信箱", "市长信箱", "县长信箱", "区长信箱", "局长信箱", "主任信箱", "厅长信箱",
      "镇长信箱", "乡长信箱", "旗长信箱", "州长信箱", "在线咨询", "网上咨询", "咨询投诉", "我要咨询",
      "我要写信", "政民互动", "留言板", "民意直通车", "网络问政", "12345", "政务咨询", "咨询回复"),
     ("信箱", "留言", "咨询", "问政")),
    ("SURVEY",
     ("意见征集", "调查征集", "民意征集", "征求意见", "网上调查", "问卷调查", "征集结果", "结果反馈",
      "民意调查", "草案征求"),
     ("征集", "调查")),
    ("INTERVIEW", ("在线访谈", "访谈直播", "政策访谈", "嘉宾访谈"), ("访谈",)),
    ("SPECIAL", ("专题",), ()),
    ("NOTICE",
     ("通知公告", "公示公告", "公告公示", "通知通告", "招标公告", "人事公示", "招聘公告", "公告",
      "公示", "通告"),
     ("通知",)),
    ("POLICY",
     ("政策文件", "政府文件", "部门文件", "政策法规", "法规文件", "规范性文件", "行政规范性文件",
      "政府规章", "政府令", "文件资料", "政策发布", "法律法规", "政府公报", "文件发布"),
     ("文件", "政策", "法规", "规章")),
    ("INTERPRET",
     ("政策解读", "解读回应", "图解政策", "文件解读", "回应关切", "新闻发布会", "新闻发布"),
     ("解读", "回应", "图解")),
    ("NEWS",
     ("政务要闻", "本地要闻", "今日要闻", "时政要闻", "要闻", "工作动态", "政务动态", "部门动态",
      "区县动态", "县区动态", "乡镇动态", "街道动态", "基层动态", "新闻动态", "新闻中心",
      "图片新闻", "领导活动", "工作进展", "工作信息", "热点关注", "政务信息"),
     ("动态", "新闻", "资讯", "快讯", "快报", "热点")),
    ("PERIODIC",
     ("人事信息", "人事任免", "干部任免", "公务员招考", "公务员招录", "规划计划", "发展规划",
      "专项规划", "年度计划", "工作计划", "工作总结", "政府工作报告", "财政预决算", "部门预算",
      "部门决算", "预决算公开", "三公经费", "政府信息公开年报", "信息公开年报", "信息公开年度报告",
      "网站工作年度报表", "年度报表", "预决算", "财政预算", "财政决算"),
     ("人事", "规划", "计划", "总结", "预算", "决算", "年报", "年度报告")),
    ("DATA",
     ("数据发布", "统计数据", "统计信息", "统计公报", "数据开放", "统计分析"),
     ("统计", "数据")),
    ("OVERVIEW",
     ("概况信息", "本地概况", "机构概况", "机构职能", "机构设置", "内设机构", "领导信息",
      "领导之窗", "负责人信息", "领导分工", "走进"),
     ("概况", "简介", "沿革", "职能", "领导", "机构")),
    ("OPEN_CATALOG",
     ("政府信息公开", "信息公开指南", "信息公开制度", "法定主动公开内容", "依申请公开",
      "公开目录", "主动公开"),
     ("信息公开", "政务公开", "公开")),
    ("SERVICE",
     ("办事服务", "网上办事", "政务服务", "服务大厅", "办事指南", "服务事项", "表格下载", "下载中心",
      "在线办理", "办件查询", "办事统计", "办件公示"),
     ("办事", "服务", "办件", "办理")),
)

# Per-class vetoes on a name: the class is skipped when the name contains one of these.
_SKIP_IF: dict[str, tuple[str, ...]] = {
    "POLICY": ("解读", "回应"),
    "NOTICE": ("办件",),
    "NEWS": ("往期", "历史", "回顾", "归档", "存档", "旧版", "党史"),
}

# URL folder hints (pinyin initials), matched against whole path segments.
URL_HINTS: dict[str, str] = {
    # NOTICE
    "tzgg": "NOTICE", "gsgg": "NOTICE", "gggs": "NOTICE", "tztg": "NOTICE", "tzgs": "NOTICE",
    "gstz": "NOTICE", "zbgg": "NOTICE", "zpgg": "NOTICE", "rsgs": "NOTICE", "gg": "NOTICE",
    "gs": "NOTICE", "tgg": "NOTICE", "notice": "NOTICE",
    # POLICY
    "zcwj": "POLICY", "zfwj": "POLICY", "bmwj": "POLICY", "zcfg": "POLICY", "gfxwj": "POLICY",
    "xzgfxwj": "POLICY", "zfgz": "POLICY", "zfl": "POLICY", "wjzl": "POLICY", "flfg": "POLICY",
    "zcfb": "POLICY", "zfgb": "POLICY", "zc": "POLICY", "policy": "POLICY",
    # INTERPRET
    "zcjd": "INTERPRET", "jdhy": "INTERPRET", "tjzc": "INTERPRET", "wjjd": "INTERPRET",
    "hygz": "INTERPRET", "xwfbh": "INTERPRET", "jd": "INTERPRET",
    # NEWS
    "zwdt": "NEWS", "gzdt": "NEWS", "bmdt": "NEWS", "xwzx": "NEWS", "xwdt": "NEWS",
    "jryw": "NEWS", "zwyw": "NEWS", "bdyw": "NEWS", "szyw": "NEWS", "yw": "NEWS",
    "xqdt": "NEWS", "qxdt": "NEWS", "xzdt": "NEWS", "jddt": "NEWS", "jcdt": "NEWS",
    "tpxw": "NEWS", "ldhd": "NEWS", "gzjz": "NEWS", "gzxx": "NEWS", "zwxx": "NEWS",
    "news": "NEWS", "xw": "NEWS", "dt": "NEWS",
    # PERIODIC
    "rsxx": "PERIODIC", "rsrm": "PERIODIC", "gbrm": "PERIODIC", "ghjh": "PERIODIC",
    "fzgh": "PERIODIC", "zxgh": "PERIODIC", "ndjh": "PERIODIC", "gzjh": "PERIODIC",
    "gzzj": "PERIODIC", "zfgzbg": "PERIODIC", "czyjs": "PERIODIC", "yjsgk": "PERIODIC",
    "czyjsgk": "PERIODIC", "bmys": "PERIODIC", "bmjs": "PERIODIC", "sgjf": "PERIODIC",
    "ndbg": "PERIODIC", "xxgknb": "PERIODIC", "xxgkndbg": "PERIODIC", "gkndbg": "PERIODIC",
    "yjs": "PERIODIC", "rs": "PERIODIC", "gh": "PERIODIC",
    # DATA
    "tjsj": "DATA", "tjxx": "DATA", "tjgb": "DATA", "sjfb": "DATA", "sjkf": "DATA",
    "tjfx": "DATA", "tjyb": "DATA", "tj": "DATA",
    # OVERVIEW
    "jggk": "OVERVIEW", "jgzn": "OVERVIEW", "jgsz": "OVERVIEW", "nsjg": "OVERVIEW",
    "bdgk": "OVERVIEW", "ldzc": "OVERVIEW", "ldfg": "OVERVIEW", "gk": "OVERVIEW",
    # OPEN_CATALOG
    "zwgk": "OPEN_CATALOG", "xxgk": "OPEN_CATALOG", "zfxxgk": "OPEN_CATALOG",
    "xxgkzn": "OPEN_CATALOG", "xxgkzd": "OPEN_CATALOG", "ysqgk": "OPEN_CATALOG",
    "fdzdgknr": "OPEN_CATALOG", "gkml": "OPEN_CATALOG",
    # interaction
    "zmhd": "CONSULT", "zxzx": "CONSULT", "wszx": "CONSULT", "szxx": "CONSULT",
    "xzxx": "CONSULT", "qzxx": "CONSULT", "jzxx": "CONSULT", "sjxx": "CONSULT",
    "lyb": "CONSULT",  # not "hdjl": 互动交流 is a section, not a channel
    "yjzj": "SURVEY", "dczj": "SURVEY", "zjdc": "SURVEY", "myzj": "SURVEY", "wsdc": "SURVEY",
    "zqyj": "SURVEY",
    "zxft": "INTERVIEW", "ft": "INTERVIEW",
    "wsxf": "EXCLUDE", "xf": "EXCLUDE", "jjjb": "EXCLUDE",
    # SERVICE
    "bsfw": "SERVICE", "wsbs": "SERVICE", "zwfw": "SERVICE", "bszn": "SERVICE",
    "bgxz": "SERVICE", "xzzx": "SERVICE", "bsdt": "SERVICE", "fwdt": "SERVICE",
    # SPECIAL
    "ztzl": "SPECIAL", "zt": "SPECIAL", "zl": "SPECIAL", "special": "SPECIAL",
}

_BRACKETS = re.compile(r"[\[\]【】()（）<>《》〈〉「」『』{}]")
_SPACES = re.compile(r"[\s\u3000\xa0·•\-—_|:：、,，.。!！?？]+")
_SUFFIXES = ("栏目", "专栏")
_CRUMB_SPLIT = re.compile(r"\s*(?:>>|>|»|›|→|/|\\|＞|》|>|\|)\s*")
_CRUMB_NOISE = re.compile(r"^(?:当前位置|您的位置|您现在的位置|你的位置|你现在的位置|现在位置|所在位置|位置)\s*[:：]?\s*")
_CRUMB_SKIP = frozenset({"首页", "网站首页", "主页", "", "正文", "详情", "内容", "列表"})


def normalize_name(name: str) -> str:
    """Remove spaces, punctuation, brackets and a trailing 栏目/专栏 (kept when it is all)."""
    s = _SPACES.sub("", _BRACKETS.sub("", name or ""))
    for suffix in _SUFFIXES:
        if s.endswith(suffix) and len(s) > len(suffix):
            s = s[: -len(suffix)]
            break
    return s


def classify_name(name: str) -> tuple[str, str, float] | None:
    """(class, rule, confidence) from a column name alone, or None when nothing matches."""
    norm = normalize_name(name)
    if not norm:
        return None
    for tier, conf in ((1, CONF_NAME), (2, CONF_NAME_GENERIC)):
        for cls, specific, generic in _CLASSES:
            skip = _SKIP_IF.get(cls)
            if skip and any(w in norm for w in skip):
                continue
            for word in specific if tier == 1 else generic:
                if word in norm:
                    return cls, f"name:{word}", conf
    return None


def _clean_override_class(value: str) -> str:
    cls = (value or "").strip().upper()
    if cls not in COLUMN_CLASSES:
        raise ValueError(f"栏目分类覆盖表中的类别无效：{value!r}（可选：{'、'.join(COLUMN_CLASSES)}）")
    return cls


def _override(name: str, url: str, overrides: dict[str, str] | None) -> str | None:
    if not overrides:
        return None
    keys: list[str] = []
    if url:
        keys += [url, url.rstrip("/"), url.rstrip("/") + "/", canonical_column_url(url)]
    if name:
        keys += [name, name.strip(), normalize_name(name)]
    for key in keys:
        if key in overrides:
            return _clean_override_class(overrides[key])
    canon = {canonical_column_url(k): v for k, v in overrides.items() if "://" in k}
    if url and canonical_column_url(url) in canon:
        return _clean_override_class(canon[canonical_column_url(url)])
    return None


_INDEX_FILE = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|aspx?|php)$", re.I)


@functools.lru_cache(maxsize=65536)
def canonical_column_url(url: str) -> str:
    """Scheme-less, index-file-less, slash-less form: ``http://a/b/index.html`` == ``https://a/b/``."""
    u = url.split("#", 1)[0]
    u = re.sub(r"^https?://", "", u, flags=re.I)
    path, sep, query = u.partition("?")
    path = _INDEX_FILE.sub("/", path).rstrip("/")
    host, slash, rest = path.partition("/")
    path = host.lower() + slash + rest
    return path + (sep + query if query else "")


def breadcrumb_segments(breadcrumb: str) -> list[str]:
    """当前位置：首页 > 政务公开 > 通知公告 -> ["政务公开", "通知公告"] (首页 and labels dropped)."""
    text = _CRUMB_NOISE.sub("", (breadcrumb or "").strip())
    parts = [p.strip() for p in _CRUMB_SPLIT.split(text)]
    return [p for p in parts if p and p not in _CRUMB_SKIP and len(p) <= 30]


def classify_breadcrumb(breadcrumb: str) -> tuple[str, str, float] | None:
    segments = breadcrumb_segments(breadcrumb)
    for i, seg in enumerate(reversed(segments)):
        got = classify_name(seg)
        if got is not None:
            conf = CONF_BREADCRUMB if i == 0 else CONF_BREADCRUMB_PARENT
            return got[0], f"breadcrumb:{got[1].split(':', 1)[1]}", conf
    return None


def classify_url(url: str) -> tuple[str, str, float] | None:
    """Pinyin-initial folder hints, deepest folder first (/zwgk/tzgg/ is NOTICE, not OPEN_CATALOG)."""
    if not url:
        return None
    path = re.sub(r"^https?://[^/]+", "", url.split("?", 1)[0].split("#", 1)[0], flags=re.I)
    segments = [s.lower() for s in path.split("/") if s]
    if segments and "." in segments[-1]:
        stem = segments[-1].rsplit(".", 1)[0]
        segments = segments[:-1] + ([stem] if stem not in ("index", "default", "list", "main") else [])
    for seg in reversed(segments):
        cls = URL_HINTS.get(seg)
        if cls is None:
            # tzgg_1, tzgg2025, zwgk-tzgg: try the alphabetic head
            head = re.match(r"[a-z]+", seg)
            if head and head.group(0) != seg and len(head.group(0)) >= 3:
                cls = URL_HINTS.get(head.group(0))
                seg = head.group(0)
        if cls is not None:
            return cls, f"url:{seg}", CONF_URL
    return None


def classify_column(
    name: str,
    url: str = "",
    breadcrumb: str = "",
    overrides: dict[str, str] | None = None,
) -> tuple[str, str, float]:
    """(class, rule, confidence) for a column, e.g. ``("NEWS", "name:要闻", 0.95)``.

    ``overrides`` maps a column URL or name to a class and beats everything else. A name that
    only matches nothing but ends with 专栏 is SPECIAL; nothing at all gives
    ``("OTHER", "unmatched", 0.0)``.
    """
    forced = _override(name, url, overrides)
    if forced is not None:
        return forced, "override", CONF_OVERRIDE
    for got in (classify_name(name), classify_breadcrumb(breadcrumb), classify_url(url)):
        if got is not None:
            return got
    compact_name = _SPACES.sub("", _BRACKETS.sub("", name or ""))
    if compact_name.endswith("专栏"):
        return "SPECIAL", "name:专栏", CONF_NAME_GENERIC
    return "OTHER", "unmatched", 0.0
