"""Build the demo world: static sites, registry, manifest and a local CA, in one folder.

Layout of ``out_dir``::

    world.json          hosts and how to serve them (read by server.py / load_world)
    manifest.json       expected findings per registry id (MANIFEST below, as JSON)
    registry.xlsx       Chinese headers (网站标识码, 类型, 名称, 网址, ...)
    registry.csv        English headers (id,kind,name,url,...,source)
    repost_tasks.json   the supervisor's repost task for new-media accounts (media.py)
    media/<host>/...    new-media sources (RSS feeds, Weibo-like JSON) and media/index.json
    ca.pem              the local CA to trust (CollectSettings.extra_ca_file)
    tls/server.pem, tls/server.key   leaf certificate for every demo hostname
    sites/<host>/...    the static files of each site, in its own charset
    server/<host>/      search index, search result template, 404 page, and the home page a
                        cloaking site shows to search-engine spiders (not served as files)

Registry URLs: ``build_world`` writes them as a registry would (``http://host/``, ports
80/443). The ports are only known once the server has bound its sockets, so
:func:`xuncha.demo.server.serve_world` rewrites registry.xlsx and registry.csv with the real
ports (``DemoServer.write_registry``), in both 网址 and 采集地址 (new-media sources). Everything except ca.pem and tls/ is a pure function
of (seed, as_of): the same inputs give byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from xuncha.demo import assets
from xuncha.demo.layout import SiteTree, build_tree
from xuncha.demo.media import build_media
from xuncha.demo.render import Rendered, footprint, render_site
from xuncha.demo.sites import MEDIA_HOSTS, SITES, STUB_HOSTS, DemoSite

SEVERITIES_FORBIDDEN_ON_CLEAN = ("veto", "deduct")
STALE_CLASSES = ("news", "notice", "policy", "periodic", "data")


@dataclass
class World:
    root: Path
    sites: list[DemoSite]
    registry_xlsx: Path
    registry_csv: Path
    manifest: dict[str, dict]
    ca_pem: Path
    as_of: date | None = None
    seed: int = 2025
    hosts: dict[str, dict] = field(default_factory=dict)  # world.json "hosts"
    repost_tasks: Path | None = None  # repost_tasks.json (title, url, deadline, targets)

    def site(self, sid: str) -> DemoSite:
        for s in self.sites:
            if s.id == sid:
                return s
        raise KeyError(sid)


# --------------------------------------------------------------------------- manifest
def manifest_entry(site: DemoSite) -> dict:
    """What an inspection of ``site`` must (and must not) report.

    New-media accounts are inspected (status 运行). ``inconclusive`` accounts must get at least
    one inconclusive result (collection failed) and never a veto.
    """
    inspected = site.status == "运行" and (site.is_account or site.kind == "website")
    forbid = list(SEVERITIES_FORBIDDEN_ON_CLEAN) if site.clean else ["veto"] if site.inconclusive else []
    return {
        "id": site.id,
        "name": site.reg_name,
        "site_name": site.name,
        "host": site.host,
        "url": site.canonical_url,
        "kind": site.kind,
        "category": site.category,
        "status": site.status,
        "inspected": inspected,
        "scheme": site.scheme,
        "ipv6": site.ipv6,
        "style": site.style,
        "encoding": site.encoding,
        "serve": site.serve,
        "clean": site.clean,
        "expect": list(site.expect),
        "forbid_severities": forbid,
        "inconclusive": site.inconclusive,
        "source": site.source,
        "note": site.note,
        "may": list(site.may),
        "planted": [{"code": c, "what": w} for c, w in site.planted],
        "skip_reason": site.skip_reason,
    }


MANIFEST: dict[str, dict] = {s.id: manifest_entry(s) for s in SITES}


# --------------------------------------------------------------------------- registry
REGISTRY_HEADERS_EN = ("id", "kind", "name", "url", "owner", "region", "category", "status", "no_service_function",
                       "source")
REGISTRY_HEADERS_CN = ("网站标识码", "类型", "名称", "网址", "主管单位", "地区", "类别", "状态", "无办事服务功能", "采集地址")


def registry_rows(sites: list[DemoSite], urls: dict[str, str] | None = None,
                  sources: dict[str, str] | None = None) -> list[tuple[str, ...]]:
    """One row per target; ``urls`` / ``sources`` override 网址 / 采集地址 (real ports)."""
    urls = urls or {}
    sources = sources or {}
    return [
        (s.id, s.kind, s.reg_name, urls.get(s.id, s.canonical_url), s.owner, s.region, s.category, s.status,
         "是" if s.no_service_function else "否", sources.get(s.id, s.source))
        for s in sites
    ]


def write_registry_files(world: World, urls: dict[str, str] | None = None, sources: dict[str, str] | None = None) -> None:
    """(Re)write registry.xlsx (Chinese headers) and registry.csv (English headers)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rows = registry_rows(world.sites, urls, sources)
    wb = Workbook()
    ws = wb.active
    ws.title = "网站名录"
    ws.append(list(REGISTRY_HEADERS_CN))
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append(list(r))
        ws.cell(row=ws.max_row, column=1).number_format = "@"  # 网站标识码 is text, not a number
    for col, width in zip("ABCDEFGHIJ", (16, 10, 30, 46, 30, 24, 14, 8, 14, 60), strict=True):
        ws.column_dimensions[col].width = width
    fixed = datetime(world.as_of.year, world.as_of.month, world.as_of.day) if world.as_of else datetime(2020, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "xuncha demo"
    buf = io.BytesIO()
    wb.save(buf)
    world.registry_xlsx.write_bytes(assets.normalize_zip(buf.getvalue(), fixed))
    text = io.StringIO()
    w = csv.writer(text, lineterminator="\n")
    w.writerow(REGISTRY_HEADERS_EN)
    w.writerows(rows)
    world.registry_csv.write_text(text.getvalue(), encoding="utf-8")


# --------------------------------------------------------------------------- TLS
def write_tls(root: Path, hostnames: list[str], as_of: date) -> Path:
    """A local CA (trustme) and one leaf certificate for every demo hostname."""
    import trustme

    ca = trustme.CA(organization_name="xuncha demo CA", organization_unit_name="示例省政务外网测试")
    # About 13 months of validity around both the as-of date and today (real certificates are
    # short-lived; TLS libraries check against the real clock, inspections against as-of).
    today = date.today()
    not_before = datetime.combine(min(as_of, today) - timedelta(days=30), datetime.min.time())
    not_after = datetime.combine(max(as_of, today) + timedelta(days=398), datetime.min.time())
    leaf = ca.issue_cert(*hostnames, "localhost", "127.0.0.1", "::1", common_name=hostnames[0],
                         not_before=not_before, not_after=not_after)
    tls = root / "tls"
    tls.mkdir(parents=True, exist_ok=True)
    ca_pem = root / "ca.pem"
    ca_pem.write_bytes(ca.cert_pem.bytes())
    (tls / "server.pem").write_bytes(b"".join(b.bytes() for b in leaf.cert_chain_pems))
    (tls / "server.key").write_bytes(leaf.private_key_pem.bytes())
    return ca_pem


# --------------------------------------------------------------------------- build
def _charset_mode(site: DemoSite) -> str:
    mode = site.knobs.charset_header
    return site.encoding if mode == "auto" else mode


def _related(site: DemoSite) -> list[tuple[str, str]]:
    """Department sites a portal links to (only those that answer)."""
    if site.id != "9901000001":
        return []
    wanted = ("9901000002", "9901000003", "9901000004")
    return [(s.name, s.canonical_url) for s in SITES if s.id in wanted]


def _facts(tree: SiteTree, out: Rendered) -> dict[str, object]:
    """Checkable details of the planted problems (names, paths, titles) for manifest.json."""
    cols = tree.columns
    facts: dict[str, object] = {}
    if blank := [c.name for c in cols if c.blank]:
        facts["blank_columns"] = blank
    if explained := [c.name for c in cols if c.note and not c.articles]:
        facts["explained_columns"] = explained  # carry a 无相关信息 note: NOT blank
    if tree.site.knobs.stale:
        facts["stale_columns"] = {c.name: c.newest.isoformat() for c in cols if c.newest and c.fresh in STALE_CLASSES}
    forms = [a for c in cols for a, _ in c.forms]
    if missing := [a.path for a in forms if a.data is None]:
        facts["missing_attachments"] = missing
    if empty := [a.path for a in forms if a.data == b""]:
        facts["empty_attachments"] = empty
    if tree.site.knobs.broken_home_links or tree.site.knobs.broken_inner_links:
        facts["dead_links"] = sorted(set(out.missing))
    overdue = [
        {"title": m.title, "ask": m.ask.date().isoformat(), "reply": m.reply.date().isoformat() if m.reply else None}
        for c in cols for m in c.messages
        if (m.reply is None and (tree.as_of - m.ask.date()).days > 92) or (m.reply and (m.reply - m.ask).days > 92)
    ]
    if overdue:
        facts["overdue_messages"] = overdue
    guides = [g for c in cols for g in c.guides]
    if incomplete := [{"title": g.title, "categories": len(g.fields)} for g in guides if len(g.fields) < 10]:
        facts["incomplete_guides"] = incomplete
    if tree.site.knobs.footer_code:
        facts["footer_code"] = tree.site.knobs.footer_code
    if tree.site.knobs.zhaocuo_code:
        facts["zhaocuo_code"] = tree.site.knobs.zhaocuo_code
    if planted := [p.to_dict() for p in tree.plants if not p.lookalike]:
        facts["planted_cases"] = planted  # where each content/security/privacy case is
    if lookalikes := [p.to_dict() for p in tree.plants if p.lookalike]:
        facts["lookalikes"] = lookalikes  # clean look-alikes: must NOT be reported
    return facts


def _encode(site: DemoSite, content: str | bytes) -> bytes:
    if isinstance(content, bytes):
        return content
    if site.encoding == "gbk":
        return content.encode("gbk", errors="xmlcharrefreplace")
    return content.encode("utf-8")


EARLIEST_AS_OF = date(2024, 1, 1)  # planted cases assume 国务院总理李强 (since 2023-03-11) at every page date


def build_world(out_dir: Path, as_of: date, seed: int = 2025) -> World:
    """Write the demo world into ``out_dir`` (created; existing files are overwritten)."""
    if as_of < EARLIEST_AS_OF:
        from xuncha.errors import XunchaError

        raise XunchaError(f"示例网站群的监测时点不能早于 {EARLIEST_AS_OF.isoformat()}（预置问题按现任领导职务编写）")
    root = Path(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    sites = list(SITES)
    hosts: dict[str, dict] = {}
    facts: dict[str, dict[str, object]] = {}
    for site in sites:
        entry: dict = {
            "id": site.id, "name": site.name, "registry_name": site.reg_name, "owner": site.owner,
            "scheme": site.scheme, "ipv6": site.ipv6, "serve": site.serve, "encoding": site.encoding,
            "status": site.status, "kind": site.kind,
        }
        if site.served:
            tree = build_tree(site, as_of, seed)
            fp = footprint(tree)
            out = render_site(tree, fp, _related(site))
            docroot = root / "sites" / site.host
            for path, content in sorted(out.files.items()):
                dest = docroot / path.lstrip("/")
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(_encode(site, content))
            srv = root / "server" / site.host
            srv.mkdir(parents=True, exist_ok=True)
            (srv / "404.html").write_text(out.not_found, encoding="utf-8")
            if out.search is not None:
                (srv / "search.html").write_text(out.search_template, encoding="utf-8")
                (srv / "search.json").write_text(json.dumps(out.search_index, ensure_ascii=False, indent=0), encoding="utf-8")
            if out.spider_home is not None:
                (srv / "spider.html").write_text(out.spider_home, encoding="utf-8")
            facts[site.id] = _facts(tree, out)
            entry.update(
                charset=_charset_mode(site), search=out.search, conac_id=fp.conac_id, icp=fp.icp, psb=fp.psb_code,
                pages=sum(1 for p in out.files if p.endswith(".html")), files=len(out.files), missing=sorted(set(out.missing)),
                robots="User-agent: *\nDisallow: /manage/\n" if site.clean and site.is_portal else None,
            )
            if out.spider_home is not None:
                entry["cloak"] = {"paths": ["/", "/index.html"], "file": "spider.html"}
        if site.kind == "website" and site.serve != "none":
            hosts[site.host] = entry
    facts.update(build_media(root, as_of, seed))
    world_json = {"as_of": as_of.isoformat(), "seed": seed, "hosts": hosts, "stubs": list(STUB_HOSTS),
                  "media": list(MEDIA_HOSTS)}
    (root / "world.json").write_text(json.dumps(world_json, ensure_ascii=False, indent=1), encoding="utf-8")
    manifest = {s.id: manifest_entry(s) | {"facts": facts.get(s.id, {})} for s in sites}
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    names = [h for h, e in hosts.items() if e["serve"] in ("site", "503")] + list(STUB_HOSTS) + list(MEDIA_HOSTS)
    ca_pem = write_tls(root, names, as_of)
    world = World(
        root=root, sites=sites, registry_xlsx=root / "registry.xlsx", registry_csv=root / "registry.csv",
        manifest=manifest, ca_pem=ca_pem, as_of=as_of, seed=seed, hosts=hosts, repost_tasks=root / "repost_tasks.json",
    )
    write_registry_files(world)
    return world


def load_world(root: Path) -> World:
    """A World object for a folder written earlier by :func:`build_world`."""
    root = Path(root)
    data = json.loads((root / "world.json").read_text(encoding="utf-8"))
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return World(
        root=root, sites=list(SITES), registry_xlsx=root / "registry.xlsx", registry_csv=root / "registry.csv",
        manifest=manifest, ca_pem=root / "ca.pem", as_of=date.fromisoformat(data["as_of"]), seed=int(data["seed"]),
        hosts=data["hosts"], repost_tasks=root / "repost_tasks.json" if (root / "repost_tasks.json").exists() else None,
    )
