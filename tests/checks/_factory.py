"""Builders of model objects for the check tests (no fetching, no extraction)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from xuncha.checks import REGISTRY, CheckContext
from xuncha.model import (
    GUIDE_CATEGORIES,
    Column,
    ConacBadge,
    Finding,
    FooterMarks,
    Item,
    LinkCheck,
    LinkRef,
    Message,
    MessageBoard,
    NetCheck,
    Page,
    Probe,
    SearchAttempt,
    SearchForm,
    ServiceGuide,
    SiteSnapshot,
    SiteStructure,
    Target,
    ZhaocuoEntry,
)
from xuncha.settings import TZ, Thresholds

AS_OF = datetime(2025, 3, 1, 12, 0, tzinfo=TZ)
TODAY = date(2025, 3, 1)
HOME = "https://www.example.gov.cn/"
NAME = "示例市人民政府门户网站"
SITE_CODE = "4100000001"


def u(path: str) -> str:
    return HOME + path.lstrip("/")


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def make_target(**kw: object) -> Target:
    base: dict[str, object] = dict(
        id=SITE_CODE,
        kind="website",
        name=NAME,
        url=HOME,
        owner="示例市人民政府办公室",
        category="政府门户网站",
    )
    base.update(kw)
    return Target(**base)  # type: ignore[arg-type]


def home_page(**kw: object) -> Page:
    base: dict[str, object] = dict(
        url=HOME,
        final_url=HOME,
        status=200,
        content_type="text/html",
        html="<html><title>示例</title></html>",
        size=4000,
        role="home",
        elapsed_ms=300.0,
    )
    base.update(kw)
    return Page(**base)  # type: ignore[arg-type]


def page(path: str, status: int | None = 200, **kw: object) -> Page:
    base: dict[str, object] = dict(
        url=u(path),
        final_url=u(path),
        status=status,
        size=2000,
        content_type="text/html",
        html="<html></html>" if status == 200 else "",
    )
    base.update(kw)
    return Page(**base)  # type: ignore[arg-type]


def probe(at: datetime, ok: bool = True, **kw: object) -> Probe:
    return Probe(
        target_id=SITE_CODE, url=HOME, at=at, ok=ok, status=kw.pop("status", 200 if ok else None), **kw
    )  # type: ignore[arg-type]


def run_probes(ok: tuple[bool, ...] = (True, True, True), **kw: object) -> list[Probe]:
    start = AS_OF - timedelta(minutes=10)
    return [probe(start + timedelta(minutes=3 * i), o, **kw) for i, o in enumerate(ok)]


def history(per_day: int = 20, failed: int = 0, days: int = 7, **fail_kw: object) -> list[Probe]:
    """``per_day`` probes in each 24 h slice ending at AS_OF; the first ``failed`` ones fail."""
    out: list[Probe] = []
    for d in range(days):
        for k in range(per_day):
            at = AS_OF - timedelta(days=d, minutes=30 + 60 * k)
            out.append(probe(at, True))
    kw = fail_kw or {"error": "timeout", "elapsed_ms": 15000.0}
    for i in range(failed):
        p = out[i * 3 % len(out)]
        out[i * 3 % len(out)] = probe(p.at, False, **kw)
    return out


def item(d: date | None, title: str = "信息") -> Item:
    return Item(title=title, url=u(f"art/{title}.html"), date=d, date_source="list" if d else "")


def column(name: str, cls: str = "OTHER", dates: tuple[date | None, ...] = (), **kw: object) -> Column:
    base: dict[str, object] = dict(
        name=name,
        url=u(f"col/{name}/"),
        cls=cls,
        level=1,
        pages_seen=1,
        items=[item(d, f"{name}{i}") for i, d in enumerate(dates)],
    )
    base.update(kw)
    return Column(**base)  # type: ignore[arg-type]


def complete_footer() -> FooterMarks:
    return FooterMarks(
        conac=ConacBadge(
            url="https://bszs.conac.cn/sitename?method=show&id=0123456789ABCDEF0123456789ABCDEF"
        ),
        site_code=SITE_CODE,
        icp_text="豫ICP备05024460号-1",
        icp_link="https://beian.miit.gov.cn/",
        psb_text="豫公网安备 41010502000001号",
        psb_code="41010502000001",
        host_unit="示例市人民政府办公室",
        contact="电话：0371-12345678",
        sitemap_url=u("sitemap.html"),
        footer_text="主办单位：示例市人民政府办公室 网站标识码4100000001",
    )


def complete_guide(title: str = "事项", missing: tuple[str, ...] = (), **kw: object) -> ServiceGuide:
    present = frozenset(c for c in GUIDE_CATEGORIES if c not in missing)
    return ServiceGuide(title=title, url=u(f"bs/{title}.html"), present=present, **kw)  # type: ignore[arg-type]


def make_site(**kw: object) -> SiteStructure:
    base: dict[str, object] = dict(home_url=HOME)
    base.update(kw)
    return SiteStructure(**base)  # type: ignore[arg-type]


def make_snapshot(pages: list[Page] | None = None, **kw: object) -> SiteSnapshot:
    base: dict[str, object] = dict(
        target=kw.pop("target", None) or make_target(),
        home_url=HOME,
        started_at=AS_OF - timedelta(minutes=15),
        pages=pages if pages is not None else [home_page()],
    )
    base.update(kw)
    return SiteSnapshot(**base)  # type: ignore[arg-type]


def make_ctx(
    *,
    target: Target | None = None,
    snapshot: SiteSnapshot | None = None,
    site: SiteStructure | None = None,
    as_of: datetime = AS_OF,
    thresholds: Thresholds | None = None,
    probe_history: list[Probe] | None = None,
) -> CheckContext:
    t = target or (snapshot.target if snapshot else make_target())
    snap = snapshot or make_snapshot(target=t)
    return CheckContext(
        target=t,
        snapshot=snap,
        site=site if site is not None else make_site(),
        as_of=as_of,
        thresholds=thresholds or Thresholds(),
        probe_history=probe_history or [],
    )


def run(code: str, ctx: CheckContext) -> list[Finding]:
    return list(REGISTRY[code].func(ctx))


def sev(findings: list[Finding]) -> list[str]:
    return [f.severity for f in findings]


def clean_site() -> tuple[SiteSnapshot, SiteStructure]:
    """A well-kept portal: every check should stay silent on it."""
    fresh = (days_ago(1), days_ago(3))
    cols = [
        column("工作动态", "NEWS", fresh),
        column("通知公告", "NOTICE", (days_ago(20),)),
        column("政策文件", "POLICY", (days_ago(40),)),
        column("人事任免", "PERIODIC", (days_ago(200),)),
        column("市长信箱", "CONSULT", (days_ago(5),)),
    ]
    board = MessageBoard(
        name="市长信箱",
        url=u("col/市长信箱/"),
        messages=[
            Message(title="咨询一", ask_date=days_ago(30), reply_date=days_ago(25), replied=True),
            Message(title="咨询二", ask_date=days_ago(10), replied=False),
        ],
    )
    links = [
        LinkRef(HOME, u("col/工作动态/"), "工作动态", "nav"),
        LinkRef(HOME, u("sitemap.html"), "网站地图", "footer"),
        LinkRef(u("col/工作动态/"), u("bs/表格.doc"), "申请表", "body", is_attachment=True),
    ]
    site = make_site(
        home_items=[item(days_ago(1), "要闻")],
        columns=cols,
        links=links,
        footer=complete_footer(),
        zhaocuo=[
            ZhaocuoEntry(
                url=f"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={SITE_CODE}",
                site_code=SITE_CODE,
            )
        ],
        meta={"SiteName": NAME, "SiteIDCode": SITE_CODE},
        title=f"首页_{NAME}",
        header_text="示例市人民政府",
        boards=[board],
        guides=[complete_guide(f"事项{i}") for i in range(6)],
        service_entry_urls=["https://www.hnzwfw.gov.cn/"],
        search_form=SearchForm(action=u("search")),
        sitemap_url=u("sitemap.html"),
    )
    snap = make_snapshot(
        pages=[home_page(), page("col/工作动态/"), page("sitemap.html")],
        link_checks={
            u("bs/表格.doc"): LinkCheck(
                url=u("bs/表格.doc"), status=200, content_type="application/msword", size=20480
            )
        },
        probes=run_probes(),
        net=NetCheck(
            host="www.example.gov.cn",
            aaaa=["2001:db8::1"],
            ipv6_status=200,
            ipv6_title_same=True,
            https_ok=True,
            cert_not_after=AS_OF + timedelta(days=200),
            http_redirects_to_https=True,
        ),
        search=SearchAttempt(query="要闻", url=u("search?q=要闻"), status=200, found=True),
    )
    return snap, site
