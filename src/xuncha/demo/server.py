"""Serve the demo world on loopback: one aiohttp application, virtual hosts by ``Host``.

Two ports (HTTP and HTTPS), each bound on 127.0.0.1 and ::1 (IPv4 only when ::1 cannot be
bound; ``DemoServer.ipv6`` says which). The HTTPS port presents one certificate for every demo
hostname, issued by the world's local CA (``ca.pem``); a TLS handshake naming an http-only
site is refused, like a server with nothing on 443.

Pages on disk are written as they would be on ports 80/443 (``https://bszs.conac.cn/...``,
``http://zjj.qingshan.gov.cn/``). While serving, absolute links to any demo or stub host in
HTML/JS/CSS are rewritten to carry the real port (``https://bszs.conac.cn:PORT/...``), so
every link resolves on loopback. Likewise ``serve_world`` rewrites registry.xlsx/registry.csv
with the real ports (``DemoServer.write_registry``); pass ``write_registry=False`` to keep
the files as built.

Behaviour per host (world.json):
* https sites answer on the HTTPS port; on the HTTP port they redirect (301) to HTTPS;
* ``serve: 503`` answers every request with 503; ``serve: dead`` is registered on a port
  that is bound but never listens (connection refused);
* IPv4-only sites (``ipv6: false``) are absent from the resolve map's IPv6 list and answer
  421 to a request that reaches them over ::1;
* the site search (its form's action, and ``/search``) is answered dynamically from the
  site's titles; GBK sites accept GBK-encoded queries;
* stub national services (bszs/dcs.conac.cn, beian.miit.gov.cn, www.beian.gov.cn,
  zfwzgl.www.gov.cn, www.gov.cn, www.shili.gov.cn, zwfw.shili.gov.cn) answer their usual paths;
  two fictional neighbouring portals answer their home page (友情链接 of the clean portal), and
  the fictional gambling host of the planted dark links answers every path with a gambling page;
* new-media sources (``xuncha.demo.media``): rss.qingshan.gov.cn serves RSS feeds (one feed URL
  answers an HTML login page instead: a blocked source); m.weibo.demo answers
  ``/api/container/getIndex?type=uid&value=UID`` (profile) and ``…&containerid=107603UID``
  (timeline), showing recent posts with relative dates ("昨天 10:00") computed at request time;
  their bodies are not port-rewritten (post links stay canonical, as repost checks compare them);
* a cloaking site (``cloak`` in world.json) answers its home page to search-engine spiders
  (User-Agent Baiduspider, Googlebot, 360Spider, Sogou, Bingbot ...) with a different page
  (server/<host>/spider.html), and to everyone else with the normal one.

Links written as JavaScript ``escape()``/percent-encoded text (``http%3A//host/``,
``http%3A%2F%2Fhost``) get the port too, so script-written links also resolve.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import socket
import ssl
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from aiohttp import web

from xuncha.demo import assets
from xuncha.demo.media import media_index, weibo_display_date, weibo_key
from xuncha.demo.render import RESULTS_MARK
from xuncha.demo.sites import FRIEND_PORTALS, GAMBLING_HOST, MEDIA_HOSTS, STUB_HOSTS
from xuncha.demo.world import World, write_registry_files
from xuncha.settings import TZ, CollectSettings

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html", ".htm": "text/html", ".shtml": "text/html", ".css": "text/css",
    ".js": "application/javascript", ".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif",
    ".ico": "image/x-icon", ".pdf": "application/pdf", ".txt": "text/plain", ".xml": "text/xml",
    ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TEXT_TYPES = ("text/html", "text/css", "application/javascript", "text/plain", "text/xml")
_DEDE_ARTICLE = re.compile(r"/\d{4}/\d{4}/\d+\.html$")
SPIDER_UA = re.compile(r"baiduspider|googlebot|bingbot|360spider|sogou\s*(?:web\s*)?spider|yisouspider|bytespider|sosospider",
                       re.IGNORECASE)


def is_spider(user_agent: str) -> bool:
    """True for the User-Agent of a search-engine spider (what a cloaking site looks for)."""
    return bool(SPIDER_UA.search(user_agent or ""))


def ipv6_loopback_available() -> bool:
    """True when a socket can be bound on ::1 (some containers have no IPv6 loopback)."""
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def _bind(port: int, v6: bool, listen: bool = True) -> tuple[list[socket.socket], int]:
    """Sockets on 127.0.0.1 (and ::1) sharing one port; port 0 picks a free one."""
    for _ in range(50):
        s4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s4.bind(("127.0.0.1", port))
        chosen = s4.getsockname()[1]
        socks = [s4]
        if v6:
            s6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s6.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s6.bind(("::1", chosen))
            except OSError:
                s4.close()
                s6.close()
                if port:
                    raise
                continue
            socks.append(s6)
        for s in socks:
            if listen:
                s.listen(128)
            s.setblocking(False)
        return socks, chosen
    raise OSError("无法在回环地址上找到同时可用于 IPv4 和 IPv6 的端口")


def _strip_port(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host[1: host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


@dataclass
class DemoServer:
    """A running demo world. Use ``async with await serve_world(world) as srv`` or ``await srv.close()``."""

    world: World
    http_port: int
    https_port: int
    ipv6: bool
    dead_port: int
    resolve: tuple[tuple[str, tuple[str, ...]], ...]
    runner: web.AppRunner | None = None
    _reserved: list[socket.socket] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things a user should know (Chinese)

    # ------------------------------------------------------------------ addresses
    def scheme_of(self, host: str) -> str:
        entry = self.world.hosts.get(host)
        if entry is None:
            return "https"  # stubs
        return str(entry["scheme"])

    def base_url(self, host: str) -> str:
        """``scheme://host:port`` where ``host`` is served (https sites and stubs on the HTTPS port)."""
        entry = self.world.hosts.get(host)
        if entry is not None and entry.get("serve") == "dead":
            return f"http://{host}:{self.dead_port}"
        scheme = self.scheme_of(host)
        return f"{scheme}://{host}:{self.https_port if scheme == 'https' else self.http_port}"

    def registry_urls(self) -> dict[str, str]:
        """Registry id -> home URL with the real port, for every served or unreachable site."""
        return {e["id"]: self.base_url(h) + "/" for h, e in self.world.hosts.items()}

    def with_port(self, url: str) -> str:
        """``url`` with the real port when its host is served here (else unchanged)."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not host or parts.port is not None or not (host in self.world.hosts or host in STUB_HOSTS or host in MEDIA_HOSTS):
            return url
        base = self.base_url(host)
        if base.split("://", 1)[0] != parts.scheme:
            base = f"{parts.scheme}://{host}:{self.https_port if parts.scheme == 'https' else self.http_port}"
        return base + url.split(parts.netloc, 1)[1]

    def registry_sources(self) -> dict[str, str]:
        """Account id -> 采集地址 with the real port (accounts whose source is served here)."""
        return {s.id: self.with_port(s.source) for s in self.world.sites if s.source}

    def account_urls(self) -> dict[str, str]:
        """Account id -> 网址 with the real port, for accounts whose 网址 is a demo page (apps)."""
        return {s.id: self.with_port(s.url) for s in self.world.sites if s.is_account and s.url}

    def write_registry(self) -> None:
        """Rewrite registry.xlsx / registry.csv with the URLs this server answers on."""
        write_registry_files(self.world, {**self.account_urls(), **self.registry_urls()}, self.registry_sources())

    def collect_settings(self, base: CollectSettings | None = None) -> CollectSettings:
        """Collection settings that reach the demo world and nothing else."""
        return replace(base or CollectSettings(), resolve=self.resolve, loopback_only=True,
                       extra_ca_file=str(self.world.ca_pem))

    def client_ssl_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(cafile=str(self.world.ca_pem))
        return ctx

    # ------------------------------------------------------------------ lifecycle
    async def close(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None
        for s in self._reserved:
            s.close()
        self._reserved.clear()

    async def __aenter__(self) -> DemoServer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class _App:
    """The request handler: virtual hosts, static files, search, stubs, port rewriting."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.hosts = world.hosts
        self.by_conac = {e.get("conac_id"): e for e in self.hosts.values() if e.get("conac_id")}
        self.by_code = {e["id"]: e for e in self.hosts.values()}
        self.server: DemoServer | None = None
        self._search: dict[str, list[dict[str, str]]] = {}
        self._templates: dict[str, str] = {}
        self._not_found: dict[str, str] = {}
        self._media: dict[str, dict[str, str]] | None = None
        names = sorted(set(self.hosts) | set(STUB_HOSTS), key=len, reverse=True)
        alts = "|".join(re.escape(n) for n in names)
        self._link = re.compile(rb"(https?)://(" + alts.encode() + rb")(?=[/\"'?#<>\s\\)]|$)", re.IGNORECASE)
        self._escaped = re.compile(rb"(https?)%3A(//|%2F%2F)(" + alts.encode() + rb")(?=/|%2F|%22|%27|%3F|[\"']|$)", re.IGNORECASE)

    # ------------------------------------------------------------------ helpers
    def rewrite(self, body: bytes) -> bytes:
        srv = self.server
        assert srv is not None

        def sub(m: re.Match[bytes]) -> bytes:
            scheme = m.group(1).lower()
            host = m.group(2).decode().lower()
            entry = self.hosts.get(host)
            if entry is not None and entry.get("serve") == "dead":
                port = srv.dead_port
            else:
                port = srv.https_port if scheme == b"https" else srv.http_port
            return m.group(1) + b"://" + m.group(2) + b":" + str(port).encode()

        def port_of(scheme: bytes, host: bytes) -> bytes:
            entry = self.hosts.get(host.decode().lower())
            if entry is not None and entry.get("serve") == "dead":
                return str(srv.dead_port).encode()
            return str(srv.https_port if scheme.lower() == b"https" else srv.http_port).encode()

        def sub_escaped(m: re.Match[bytes]) -> bytes:
            return m.group(1) + b"%3A" + m.group(2) + m.group(3) + b"%3A" + port_of(m.group(1), m.group(3))

        return self._escaped.sub(sub_escaped, self._link.sub(sub, body))

    def respond(self, body: bytes, ctype: str, status: int = 200, charset: str | None = None) -> web.Response:
        if ctype in TEXT_TYPES:
            body = self.rewrite(body)
        ct = f"{ctype}; charset={charset}" if charset else ctype
        return web.Response(body=body, status=status, headers={"Content-Type": ct, "Server": "nginx"})

    def page(self, text: str, status: int = 200, encoding: str = "utf-8") -> web.Response:
        return self.respond(text.encode(encoding, errors="xmlcharrefreplace"), "text/html", status, "GBK" if encoding == "gbk" else "utf-8")

    def server_file(self, host: str, name: str) -> str:
        p = self.world.root / "server" / host / name
        return p.read_text(encoding="utf-8") if p.exists() else ""

    def not_found(self, host: str, entry: dict) -> web.Response:
        if host not in self._not_found:
            self._not_found[host] = self.server_file(host, "404.html") or "<html><body><h1>404 Not Found</h1></body></html>"
        return self.page(self._not_found[host], 404, entry.get("encoding", "utf-8"))

    # ------------------------------------------------------------------ dispatch
    async def handle(self, request: web.Request) -> web.StreamResponse:
        host = _strip_port(request.host or "")
        secure = request.transport is not None and request.transport.get_extra_info("ssl_object") is not None
        sockname = request.transport.get_extra_info("sockname") if request.transport else None
        over_v6 = bool(sockname) and ":" in str(sockname[0])
        if host in STUB_HOSTS:
            return self.stub(host, request)
        if host in MEDIA_HOSTS:
            return self.media(host, request)
        entry = self.hosts.get(host)
        if entry is None:
            return web.Response(status=404, text="未知站点", headers={"Server": "nginx"})
        if over_v6 and not entry.get("ipv6", True):
            return web.Response(status=421, text="Misdirected Request", headers={"Server": "nginx"})
        if entry.get("serve") == "503":
            return web.Response(
                status=503, headers={"Server": "nginx", "Content-Type": "text/html; charset=utf-8"},  # no Retry-After: not a rate limit
                body=b"<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>",
            )
        if entry.get("scheme") == "https" and not secure:
            assert self.server is not None
            raise web.HTTPMovedPermanently(f"https://{host}:{self.server.https_port}{request.path_qs}")
        if entry.get("scheme") != "https" and secure:
            return web.Response(status=421, text="Misdirected Request", headers={"Server": "nginx"})
        cloak = entry.get("cloak")
        if cloak and request.path in cloak["paths"] and is_spider(request.headers.get("User-Agent", "")):
            return self.page(self.server_file(host, cloak["file"]), 200, entry.get("encoding", "utf-8"))
        search = entry.get("search")
        if search and request.path in (search["path"], "/search"):
            return self.search(host, entry, request)
        if request.path == "/robots.txt":
            if entry.get("robots"):
                return web.Response(text=entry["robots"], content_type="text/plain")
            return self.not_found(host, entry)
        return self.static(host, entry, request)

    def static(self, host: str, entry: dict, request: web.Request) -> web.StreamResponse:
        raw = request.path
        norm = posixpath.normpath(raw)
        if ".." in raw.split("/") or not norm.startswith("/"):
            return self.not_found(host, entry)
        docroot = self.world.root / "sites" / host
        rel = norm.lstrip("/")
        target = docroot / rel if rel else docroot
        if raw.endswith("/") or not rel:
            target = target / "index.html"
        elif target.is_dir():
            raise web.HTTPMovedPermanently(raw + "/" + (f"?{request.query_string}" if request.query_string else ""))
        if not target.is_file():
            return self.not_found(host, entry)
        ext = target.suffix.lower()
        ctype = CONTENT_TYPES.get(ext, "application/octet-stream")
        body = target.read_bytes()
        charset: str | None = None
        if ctype == "text/html":
            mode = entry.get("charset", "utf-8")
            if mode == "utf-8":
                charset = "utf-8"
            elif mode == "gbk":
                charset = "GBK"
            elif mode == "gbk-lists":
                charset = None if _DEDE_ARTICLE.search(target.as_posix()) else "GBK"
        elif ctype in ("text/css", "application/javascript"):
            charset = "utf-8"
        return self.respond(body, ctype, 200, charset)

    # ------------------------------------------------------------------ search
    def search(self, host: str, entry: dict, request: web.Request) -> web.Response:
        conf = entry["search"]
        qs = request.raw_path.partition("?")[2]  # still percent-encoded: GBK forms send GBK bytes
        try:
            params = parse_qs(qs, encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            params = parse_qs(qs, encoding="gbk", errors="replace")
        q = (params.get(conf["param"]) or params.get("q") or [""])[0].strip()
        if host not in self._search:
            raw = self.server_file(host, "search.json")
            self._search[host] = json.loads(raw) if raw else []
            self._templates[host] = self.server_file(host, "search.html")
        if not q:
            results = '<p class="count">请输入搜索关键词。</p>'
        else:
            hits = [] if conf.get("mode") == "empty" else [d for d in self._search[host] if q in d["title"] or q in d.get("text", "")]
            hits.sort(key=lambda d: d["date"], reverse=True)
            hits.sort(key=lambda d: q not in d["title"])  # title matches first, newest first
            qe = html.escape(q)
            items = "".join(
                f'<li><h3><a href="{html.escape(d["path"])}" target="_blank">{html.escape(d["title"])}</a></h3>'
                f'<p>{html.escape(d.get("text", "")).replace(qe, "<font color=red>" + qe + "</font>")}</p>'
                f'<span class="url">{html.escape(d["path"])}</span> <span class="date">{d["date"]}</span></li>'
                for d in hits[:20]
            )
            results = (
                f'<p class="count">共找到 <b>{len(hits)}</b> 条与“{qe}”相关的结果</p>'
                + (f'<ul class="search-list">{items}</ul>' if hits else '<div class="none">没有找到相关结果，请更换关键词重试。</div>')
            )
        text = self._templates[host].replace(RESULTS_MARK, results)
        return self.page(text, 200, entry.get("encoding", "utf-8"))

    # ------------------------------------------------------------------ new media
    def media(self, host: str, request: web.Request) -> web.StreamResponse:
        if self._media is None:
            self._media = media_index(self.world.root)
        key = f"{host} {request.path}"
        weibo = request.path == "/api/container/getIndex"
        if weibo:
            q = request.query
            uid = q.get("value", "")
            if q.get("type") != "uid" or not uid:
                return web.json_response({"ok": 0, "msg": "这里还没有内容"}, headers={"Server": "nginx"})
            timeline = q.get("containerid") == f"107603{uid}"
            key = weibo_key(uid, timeline)
        entry = self._media.get(key)
        if entry is None:
            if weibo:
                return web.json_response({"ok": 0, "msg": "这里还没有内容"}, headers={"Server": "nginx"})
            return web.Response(status=404, text="404 Not Found", headers={"Server": "nginx"})
        text = (self.world.root / "media" / entry["file"]).read_text(encoding="utf-8")
        if weibo:
            text = self._relative_dates(text)
        return web.Response(body=text.encode("utf-8"), headers={"Server": "nginx", "Content-Type": f"{entry['type']}; charset=utf-8"})

    @staticmethod
    def _relative_dates(text: str) -> str:
        """Show posts marked ``_rel`` with the mobile site's relative date at this moment."""
        from xuncha.collect.media.weibo import parse_weibo_date

        data = json.loads(text)
        now = datetime.now(TZ)
        for card in (data.get("data") or {}).get("cards") or []:
            mblog = card.get("mblog") or {}
            if mblog.pop("_rel", False):
                when = parse_weibo_date(mblog["created_at"], now)
                if when is not None:
                    mblog["created_at"] = weibo_display_date(when, now)
        return json.dumps(data, ensure_ascii=False)

    # ------------------------------------------------------------------ stubs
    def stub(self, host: str, request: web.Request) -> web.StreamResponse:
        path = request.path
        q = request.query

        def doc(title: str, body: str) -> web.Response:
            text = f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head><body>{body}</body></html>'
            return self.page(text)

        if host == "bszs.conac.cn" and path == "/sitename":
            e = self.by_conac.get(q.get("id", ""))
            if e is None:
                return doc("党政机关网站标识", "<p>未查询到该网站的标识信息。</p>")
            return doc(
                "党政机关网站标识",
                f"<h2>党政机关网站标识</h2><table><tr><th>网站名称</th><td>{html.escape(e['name'])}</td></tr>"
                f"<tr><th>网站标识码</th><td>{e['id']}</td></tr><tr><th>主办单位</th><td>{html.escape(e['owner'])}</td></tr>"
                f"<tr><th>网站类别</th><td>政府机关</td></tr><tr><th>标识状态</th><td>有效</td></tr></table>",
            )
        if host == "dcs.conac.cn":
            if path.startswith("/image/") and path.endswith(".png"):
                return self.respond(assets.png_flat(55, 68, (210, 20, 20), (255, 230, 0)), "image/png")
            if path.startswith("/js/") and path.endswith(".js"):
                m = re.search(r"/([0-9A-F]{32})\.js$", path)
                return self.respond(assets.conac_js(m.group(1) if m else "").encode(), "application/javascript", charset="utf-8")
        if host == "zfwzgl.www.gov.cn":
            if path == "/exposure/jiucuo.html":
                code = q.get("site_code", "")
                e = self.by_code.get(code)
                name = html.escape(e["name"]) if e else "（未识别的网站标识码）"
                return doc("我为政府网站找错", f"<h2>我为政府网站找错</h2><p>网站标识码：{html.escape(code)}</p><p>网站名称：{name}</p><form><textarea name='content'></textarea></form>")
            if path == "/exposure/jiucuo.js":
                return self.respond(assets.JIUCUO_OFFICIAL_JS.encode(), "application/javascript", charset="utf-8")
            if path.startswith("/exposure/images/") and path.endswith(".png"):
                return self.respond(assets.png_flat(110, 55, (200, 20, 30), (255, 255, 255)), "image/png")
        if host == "beian.miit.gov.cn" and path in ("/", "/index.html"):
            return doc("ICP/IP地址/域名信息备案管理系统", "<h2>ICP/IP地址/域名信息备案管理系统</h2><p>工业和信息化部</p>")
        if host == "www.beian.gov.cn" and path in ("/", "/portal/index.do", "/portal/registerSystemInfo"):
            code = html.escape(q.get("recordcode", ""))
            return doc("全国互联网安全管理服务平台", f"<h2>全国互联网安全管理服务平台</h2><p>备案编号：{code}</p>")
        if host == "www.gov.cn" and path in ("/", "/index.htm", "/index.html"):
            return doc("中国政府网", "<h2>中国政府网</h2><p>（示例桩页面）</p>")
        if host == "www.shili.gov.cn" and path in ("/", "/index.html"):
            return doc("示例省人民政府", "<h2>示例省人民政府</h2><p>（示例桩页面）</p>")
        if host == "zwfw.shili.gov.cn" and path in ("/", "/index.html"):
            return doc("示例省政务服务网", "<h2>示例省政务服务网</h2><p>个人办事 | 法人办事 | 部门服务 | 办件查询</p>")
        if host in FRIEND_PORTALS and path in ("/", "/index.html"):
            name = html.escape(FRIEND_PORTALS[host])
            return doc(FRIEND_PORTALS[host], f"<h2>{name}</h2><p>（示例桩页面）</p>")
        if host == GAMBLING_HOST:
            return self.page(GAMBLING_PAGE)
        return web.Response(status=404, text="404 Not Found", headers={"Server": "nginx"})


# What the fictional gambling host serves on every path (target of the planted dark links).
GAMBLING_PAGE = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>澳门新葡京娱乐城_百家乐_真人视讯_注册送彩金</title></head>'
    "<body><h1>澳门新葡京娱乐城</h1><p>百家乐 真人视讯 体育投注 电子游艺 棋牌游戏</p>"
    "<p>新会员注册送彩金，首存再送100%，24小时在线投注，提款秒到账。</p></body></html>"
)


def _tls_context(world: World, http_only: set[str]) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(world.root / "tls" / "server.pem", world.root / "tls" / "server.key")

    def sni(sock: ssl.SSLObject, name: str | None, _ctx: ssl.SSLContext) -> int | None:
        if name and name.lower() in http_only:
            return ssl.ALERT_DESCRIPTION_UNRECOGNIZED_NAME  # nothing serves https for this site
        return None

    ctx.sni_callback = sni  # type: ignore[assignment]
    return ctx


async def serve_world(
    world: World, *, http_port: int = 0, https_port: int = 0, ipv6: bool | None = None, write_registry: bool = True,
) -> DemoServer:
    """Start serving ``world`` on loopback and return the running :class:`DemoServer`.

    Ports 0 pick free ports. ``ipv6=None`` binds ::1 when it is available. With
    ``write_registry`` (default) registry.xlsx/registry.csv are rewritten with the real ports.
    """
    v6 = ipv6_loopback_available() if ipv6 is None else ipv6
    handler = _App(world)
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler.handle)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    http_socks, hp = _bind(http_port, v6)
    https_socks, sp = _bind(https_port, v6)
    dead_socks, dp = _bind(0, v6, listen=False)  # bound, never listening: connection refused
    http_only = {h for h, e in world.hosts.items() if e.get("scheme") != "https"}
    tls = _tls_context(world, http_only)
    for s in http_socks:
        await web.SockSite(runner, s).start()
    for s in https_socks:
        await web.SockSite(runner, s, ssl_context=tls).start()
    both = ("127.0.0.1", "::1") if v6 else ("127.0.0.1",)
    resolve = tuple(
        [(h, both if e.get("ipv6", True) else ("127.0.0.1",)) for h, e in world.hosts.items()]
        + [(h, both) for h in (*STUB_HOSTS, *MEDIA_HOSTS)]
    )
    srv = DemoServer(world, hp, sp, v6, dp, resolve, runner, dead_socks)
    if not v6:
        srv.notes.append("本机回环地址 ::1 不可用，示例网站只在 127.0.0.1（IPv4）上提供服务；"
                         "所有站点都会被判为不支持 IPv6，清单中 W.TECH.IPV6 的预期因此不再可靠。")
    handler.server = srv
    if write_registry:
        srv.write_registry()
    return srv


def _main() -> None:  # pragma: no cover - manual use: python -m xuncha.demo.server OUT [AS_OF]
    import asyncio
    import sys
    from datetime import date

    from xuncha.demo.world import build_world

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "demo-world")
    as_of = date.fromisoformat(sys.argv[2]) if len(sys.argv) > 2 else date.today()

    async def run() -> None:
        world = build_world(out, as_of)
        srv = await serve_world(world)
        print(f"HTTP {srv.http_port}  HTTPS {srv.https_port}  IPv6 {'是' if srv.ipv6 else '否'}")
        for sid, url in srv.registry_urls().items():
            print(sid, url)
        try:
            await asyncio.Event().wait()
        finally:
            await srv.close()

    asyncio.run(run())


if __name__ == "__main__":  # pragma: no cover
    _main()
