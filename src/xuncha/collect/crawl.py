"""Site crawler: frontier with priorities, scope, budgets and trap guards → SiteSnapshot.

Order of work (``mode="full"``): the home page; its navigation / header links (role "column");
the site map (role "sitemap") and the columns it lists; pagination of column lists (role
"pagination", at most ``max_list_pages_per_column`` per column); detail pages linked from the
lists (role "detail", at most ``max_detail_pages_per_column`` per column); then everything else
breadth-first (role "other"). ``mode="links"`` (broken-link sweeps, the benchmark) is plain
breadth-first, keeps no HTML in memory and fetches no scripts.

Every link found on a crawled page ends with a status: it is crawled (a Page) or checked
(``snapshot.link_checks``), up to the budgets; what a budget or a trap guard cut off is said in
``snapshot.notes`` (Chinese). Nothing here raises for network or content trouble.
"""

from __future__ import annotations

import asyncio
import heapq
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from selectolax.lexbor import LexborHTMLParser

from xuncha.collect.http import Fetcher, canonical_url
from xuncha.extract.html import ATTACHMENT_EXTS, absolute
from xuncha.extract.links import extract_links
from xuncha.model import Page, SiteSnapshot, Target
from xuncha.settings import TZ, CollectSettings

__all__ = ["crawl_site", "strip_session_ids", "NON_HTML_EXTS", "TrapGuard"]

Mode = Literal["full", "links"]

# Extensions that are never parsed as pages: checked with HEAD (attachments: body too).
NON_HTML_EXTS: frozenset[str] = ATTACHMENT_EXTS | frozenset(
    {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".ico", ".tif", ".css", ".js",
     ".mjs", ".map", ".json", ".xml", ".rss", ".mp4", ".mp3", ".avi", ".flv", ".wmv", ".swf",
     ".mov", ".wav", ".m4a", ".m3u8", ".ts", ".webm", ".apk", ".ipa", ".exe", ".msi", ".iso",
     ".dmg", ".jar", ".woff", ".woff2", ".ttf", ".eot", ".otf", ".gz", ".tgz", ".tar", ".bz2",
     ".xz", ".psd", ".caj", ".epub", ".rtf", ".odt", ".ods", ".odp"}
)

# Frontier tiers (lower first). In links mode everything but the home page is tier 0.
_T_HOME, _T_NAV, _T_SITEMAP, _T_COLUMN, _T_PAGINATION, _T_DETAIL, _T_OTHER = range(7)
_CRAWLABLE_TAGS = frozenset({"a", "area", "frame", "iframe"})
_SITEMAP_WORDS = ("网站地图", "站点地图")
_PAGINATION_WORDS = ("下一页", "下页", "末页", "尾页")
_PAGINATION_URL = re.compile(
    r"(?:/(?:index|list|default|more)_\d+\.s?html?$"
    r"|[?&](?:page|pageno|pagenum|pageindex|pagenumber|curpage|currentpage|pn|p)=\d+)",
    re.I,
)
_DETAIL_URL = re.compile(
    r"(?:/[^/?]*\d[^/?]*\.(?:s?html?|jsp|aspx?|php|do|jhtml)(?:\?|$)"
    r"|[?&](?:id|articleid|aid|newsid|contentid|infoid|docid|artid)=\w)",
    re.I,
)
_INDEX_NAMES = frozenset({"", "index.html", "index.htm", "index.shtml", "index.jsp", "default.htm",
                          "default.html", "default.aspx", "index.php", "index.aspx"})
_BLOCK_STREAK_STOP = 20  # consecutive refused pages before we stop hammering a site
_MAX_SCRIPTS = 40  # same-host scripts of the home page fetched in full mode
_CANON_CACHE_MAX = 200_000

# --------------------------------------------------------------------------- session ids
_SESSION_HINT = re.compile(r"sessionid|sessid|sid=", re.I)
_JSESSION_PATH = re.compile(r";jsessionid=[^/?#]*", re.I)
_SESSION_KEYS = frozenset({"jsessionid", "phpsessid", "sessionid", "session_id", "sessid"})


def _is_session_param(param: str) -> bool:
    name, _, value = param.partition("=")
    name = name.lower()
    if name in _SESSION_KEYS or name.startswith("aspsessionid"):
        return True
    # "sid" is also a common *site id* (sid=3): only token-like values are session ids.
    return name == "sid" and len(value) >= 16


def strip_session_ids(url: str) -> str:
    """Remove ;jsessionid=..., and jsessionid / PHPSESSID / sessionid / sid=<token> params."""
    if _SESSION_HINT.search(url) is None:
        return url
    if ";" in url:
        url = _JSESSION_PATH.sub("", url)
    q = url.find("?")
    if q != -1:
        params = url[q + 1 :].split("&")
        kept = [p for p in params if p and not _is_session_param(p)]
        if len(kept) != len([p for p in params if p]):
            url = url[:q] + ("?" + "&".join(kept) if kept else "")
    return url


# --------------------------------------------------------------------------- trap guards
_CAL_QUERY = re.compile(
    r"[?&](?:year|yyyy|yy|y|month|mon|mm|m|day|dd|d|date|ym|ymd|nian|yue|ri|riqi|cal)=\d", re.I
)
_CAL_PATH = re.compile(r"/(?:calendar|rili|cal|date|archives?|riqi)/", re.I)
_YEAR_MONTH_PATH = re.compile(r"/((?:19|20|21)\d\d)[/-](?:0?[1-9]|1[0-2])(?=[/\-.?]|$)")
_YEAR = re.compile(r"(?<!\d)((?:19|20|21)\d\d)(?!\d)")
_DIGITS = re.compile(r"\d+")

TrapKind = Literal["url_length", "repeated_segments", "query_variants", "calendar"]

_TRAP_NOTES: dict[str, str] = {
    "url_length": "陷阱防护：{n} 个链接长度超过 {limit} 字符，未采集（示例：{url}）",
    "repeated_segments": "陷阱防护：{n} 个链接路径段重复超过 {limit} 次（如 /a/b/a/b/），未采集（示例：{url}）",
    "query_variants": "陷阱防护：{n} 个链接因同一路径的查询参数变体超过 {limit} 个而未采集（示例：{url}）",
    "calendar": "陷阱防护：{n} 个日历类链接（日期参数或路径无限翻页）未采集（示例：{url}）",
}


class TrapGuard:
    """Decides whether a new same-site URL is a crawler trap; counts what it refused."""

    def __init__(self, settings: CollectSettings, now_year: int) -> None:
        self.max_len = settings.max_url_length
        self.max_rep = settings.max_repeated_segments
        self.max_variants = settings.max_query_variants_per_path
        self.year_lo, self.year_hi = now_year - 30, now_year + 1
        self._variants: dict[str, int] = {}
        self._calendar: dict[str, int] = {}
        self.fired: dict[str, list[object]] = {}  # kind -> [count, example url]

    def _fire(self, kind: str, url: str) -> str:
        hit = self.fired.get(kind)
        if hit is None:
            self.fired[kind] = [1, url]
        else:
            hit[0] = int(hit[0]) + 1  # type: ignore[call-overload]
        return kind

    def check(self, url: str) -> str | None:
        """The trap kind that refuses ``url`` (canonical), or None when it may be crawled."""
        if len(url) > self.max_len:
            return self._fire("url_length", url)
        path_at = url.find("/", url.find("://") + 3)
        q = url.find("?", path_at)
        path = url[path_at:q] if q != -1 else url[path_at:]
        if path.count("/") > self.max_rep + 1:
            counts: dict[str, int] = {}
            for seg in path.split("/"):
                if seg:
                    c = counts[seg] = counts.get(seg, 0) + 1
                    if c > self.max_rep:
                        return self._fire("repeated_segments", url)
        if self._is_calendar(url, q):
            return self._fire("calendar", url)
        if q != -1:
            key = url[:q]
            n = self._variants[key] = self._variants.get(key, 0) + 1
            if n > self.max_variants:
                return self._fire("query_variants", url)
        return None

    def _is_calendar(self, url: str, q: int) -> bool:
        keyed = (q != -1 and _CAL_QUERY.search(url, q) is not None) or _CAL_PATH.search(url) is not None
        if not keyed and _YEAR_MONTH_PATH.search(url) is None:
            return False
        for y in _YEAR.findall(url):
            if not self.year_lo <= int(y) <= self.year_hi:
                return True
        if keyed:
            skeleton = _DIGITS.sub("#", url)
            n = self._calendar[skeleton] = self._calendar.get(skeleton, 0) + 1
            if n > self.max_variants:
                return True
        return False

    def notes(self) -> list[str]:
        limits = {"url_length": self.max_len, "repeated_segments": self.max_rep,
                  "query_variants": self.max_variants, "calendar": self.max_variants}
        return [
            _TRAP_NOTES[k].format(n=v[0], limit=limits[k], url=v[1]) for k, v in self.fired.items()
        ]


# --------------------------------------------------------------------------- URL joining
def _ext(url: str) -> str:
    end = url.find("?")
    if end == -1:
        end = len(url)
    slash = url.rfind("/", 0, end)
    dot = url.rfind(".", slash, end)
    return url[dot:end].lower() if dot != -1 else ""


def _netloc(url: str) -> str:
    start = url.find("://") + 3
    end = url.find("/", start)
    return url[start:end] if end != -1 else url[start:]


def _www_variants(netloc: str) -> set[str]:
    host = netloc.rsplit(":", 1)[0] if "]" not in netloc else netloc
    if host.replace(".", "").isdigit() or host.startswith("["):
        return {netloc}
    if netloc.startswith("www."):
        return {netloc, netloc[4:]}
    return {netloc, "www." + netloc}


def _registrable(host: str) -> str:
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in ("gov", "com", "org", "edu", "net", "ac"):
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


class _Joiner:
    """Resolves hrefs against one page quickly; falls back to urljoin for the odd cases."""

    __slots__ = ("base", "scheme", "origin", "dir_path", "base_dir", "base_path", "canon")

    def __init__(self, base: str, canon: Callable[[str], str | None]) -> None:
        self.base = base
        self.canon = canon
        i = base.find("://")
        self.scheme = base[:i]
        p = base.find("/", i + 3)
        if p == -1:
            self.origin, path = base, "/"
        else:
            self.origin = base[:p]
            q = base.find("?", p)
            path = base[p:q] if q != -1 else base[p:]
        self.base_path = self.origin + path
        self.dir_path = path[: path.rfind("/") + 1]
        self.base_dir = self.origin + self.dir_path

    def join(self, href: str) -> str | None:
        if "\n" in href or "\r" in href or "\t" in href:
            href = href.replace("\n", "").replace("\r", "").replace("\t", "")
        href = href.strip()
        if not href:
            return None
        c = href[0]
        if c == "/":
            if href.startswith("//"):
                return self.canon(self.scheme + ":" + href)
            if "/." in href or "\\" in href:
                return self._slow(href)
            url = self.origin + href
        elif c == "#":
            return None
        elif c == "?":
            url = self.base_path + href
        else:
            low = href[:8].lower()
            if low.startswith(("http://", "https:/")):
                return self.canon(href)
            colon = href.find(":")
            if colon != -1:
                cut = len(href)
                for ch in "/?#":
                    k = href.find(ch)
                    if k != -1 and k < cut:
                        cut = k
                if colon < cut:
                    return None  # javascript:, mailto:, tel:, data:, other schemes
            if c == ".":
                return self._dotted(href)
            if "/." in href or "\\" in href:
                return self._slow(href)
            url = self.base_dir + href
        h = url.find("#")
        if h != -1:
            url = url[:h]
        return url

    def _dotted(self, href: str) -> str | None:
        """./x and ../../x (how TRS-style CMSs link), resolved without urljoin."""
        d = self.dir_path
        h = href
        while True:
            if h.startswith("./"):
                h = h[2:]
            elif h.startswith("../"):
                h = h[3:]
                d = d[: d.rstrip("/").rfind("/") + 1] or "/"
            elif h == ".":
                h = ""
            elif h == "..":
                h = ""
                d = d[: d.rstrip("/").rfind("/") + 1] or "/"
            else:
                break
        if h.startswith((".", "#")) or "/." in h or "\\" in h or ":" in h.split("/", 1)[0]:
            return self._slow(href)
        url = self.origin + d + h
        k = url.find("#")
        return url[:k] if k != -1 else url

    def _slow(self, href: str) -> str | None:
        url = absolute(self.base, href)
        return self.canon(url) if url else None


# --------------------------------------------------------------------------- crawler
@dataclass(slots=True)
class _Task:
    url: str
    depth: int
    role: str
    referrer: str
    tier: int
    column: str | None = None  # column root URL (for per-column pagination / detail budgets)


_Link = tuple[str, str, str]  # (tag, absolute url, anchor text)


def _raw_links(tree: LexborHTMLParser, with_text: bool) -> list[tuple[str, str, str]]:
    """(tag, raw href, text) of a page's links: one pass per tag name, no regex."""
    out: list[tuple[str, str, str]] = []
    for node in tree.tags("a"):
        href = node.attrs.get("href")
        if href:
            out.append(("a", href, node.text(strip=True) if with_text else ""))
    for tag, attr in (("area", "href"), ("frame", "src"), ("iframe", "src"), ("img", "src"),
                      ("script", "src")):
        for node in tree.tags(tag):
            v = node.attrs.get(attr)
            if v:
                out.append((tag, v, ""))
    for node in tree.tags("link"):
        href = node.attrs.get("href")
        if href:
            rel = (node.attrs.get("rel") or "").lower()
            if "stylesheet" in rel or "icon" in rel:
                out.append(("link", href, ""))
    return out


class _Crawl:
    def __init__(
        self,
        fetcher: Fetcher,
        target: Target,
        settings: CollectSettings,
        mode: str,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        if mode not in ("full", "links"):
            raise ValueError(f"unknown crawl mode {mode!r}")
        self.f = fetcher
        self.s = settings
        self.full = mode == "full"
        self.progress = progress
        now = datetime.now(TZ)
        self.snap = SiteSnapshot(target=target, home_url=target.url, started_at=now)
        self.snap.robots_ignored = not settings.respect_robots
        self.traps = TrapGuard(settings, now.year)
        self.seen: set[str] = set()
        self.scope: set[str] = set()
        self.heap: list[tuple[int, int, int, _Task]] = []
        self.queued: dict[str, int] = {}  # url -> best tier waiting in the heap (full mode)
        self.seq = 0
        self.started = 0  # pages taken from the frontier (budget)
        self.active = 0
        self.stop = False
        self.wake = asyncio.Event()
        self.blocked_streak = 0
        self.blocked_stop = False
        self.sessions_stripped = 0
        self.home_links: set[str] = set()  # every URL on the home page ("site chrome")
        self.per_column: dict[tuple[str, str], int] = {}
        self.lc_queue: asyncio.Queue[tuple[str, bool, bool]] = asyncio.Queue()
        self.lc_scheduled = 0
        self.lc_capped = False
        self.heap_cap = max(1000, settings.max_pages * 4)
        self.frontier_overflow = 0
        self._canon: dict[str, str | None] = {}
        self._met: dict[str, set[str]] = {}  # origin -> hrefs met, per directory (links mode)

    # ------------------------------------------------------------------ helpers
    def canon(self, url: str) -> str | None:
        c = self._canon.get(url, "")
        if c == "":
            if len(self._canon) > _CANON_CACHE_MAX:
                self._canon.clear()
            c = self._canon[url] = canonical_url(url)
        return c

    def note(self, text: str) -> None:
        if text not in self.snap.notes:
            self.snap.notes.append(text)

    def report(self) -> None:
        if self.progress is not None:
            done = len(self.snap.pages)
            total = min(self.s.max_pages, done + len(self.queued or self.heap) + self.active)
            try:
                self.progress(done, max(total, done))
            except Exception:  # noqa: BLE001 - a UI callback must not stop the crawl
                self.progress = None

    def schedule_check(self, url: str, body: bool, external: bool = False) -> None:
        if self.lc_scheduled >= self.s.max_link_checks:
            if not self.lc_capped:
                self.lc_capped = True
                self.note(f"链接检查数量达到上限（{self.s.max_link_checks}），其余链接未检查")
            return
        self.lc_scheduled += 1
        self.lc_queue.put_nowait((url, body, external))

    def push(self, task: _Task) -> None:
        if len(self.heap) >= self.heap_cap:
            self.frontier_overflow += 1
            self.schedule_check(task.url, False)
            return
        self.seq += 1
        if self.full:
            self.queued[task.url] = task.tier
        heapq.heappush(self.heap, (task.tier, task.depth, self.seq, task))
        self.wake.set()

    # ------------------------------------------------------------------ run
    async def run(self) -> SiteSnapshot:
        try:
            await self._run()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a hostile site ends as a snapshot with notes
            self.note(f"采集异常中止：{type(exc).__name__}: {exc}"[:300])
        self.snap.finished_at = datetime.now(TZ)
        self.report()
        return self.snap

    async def _run(self) -> None:
        s, snap = self.s, self.snap
        home = await self.f.fetch(snap.target.url)
        home.role, home.depth = "home", 0
        snap.pages.append(home)
        self.started = 1
        start = canonical_url(snap.target.url)
        if start:
            self.seen.add(start)
            self.scope |= _www_variants(_netloc(start))
        final = canonical_url(home.final_url) or start
        if final:
            self.seen.add(final)
            self.scope |= _www_variants(_netloc(final))
            if start and _registrable(_netloc(final).split(":")[0]) != _registrable(
                _netloc(start).split(":")[0]
            ):
                self.note(f"首页跳转至其他域名：{final}")
        for r in home.redirects:
            c = canonical_url(r)
            if c:
                self.seen.add(c)
        if final and home.status is not None:
            info = await self.f.robots_for(final)
            snap.robots_txt = info.text
            if info.note:
                self.note(info.note)
        if not self._home_ok(home):
            self.report()
            return
        workers = [asyncio.create_task(self._lc_worker()) for _ in range(self._lc_workers())]
        try:
            await self._process_home(home, final or home.final_url)
            # one worker per allowed connection (two hosts when the home page moved), plus one
            # so that parsing a page never leaves a connection idle
            hosts = len({_netloc(x) for x in (start, final) if x}) or 1
            n = max(1, min(s.global_concurrency, max(1, s.per_host_concurrency) * hosts + 1))
            crawlers = [asyncio.create_task(self._worker()) for _ in range(n)]
            try:
                await asyncio.gather(*crawlers)
            finally:
                for t in crawlers:
                    t.cancel()
            if not self.blocked_stop:
                self._drain_frontier()
            await self.lc_queue.join()
        finally:
            for t in workers:
                t.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
        for text in self.traps.notes():
            self.note(text)
        if self.sessions_stripped:
            self.note(f"已去除链接中的会话标识（jsessionid、PHPSESSID 等）{self.sessions_stripped} 处")
        if self.frontier_overflow:
            self.note(f"待采集队列已满，{self.frontier_overflow} 个链接仅做可用性检查")

    def _lc_workers(self) -> int:
        return max(2, min(16, self.s.global_concurrency))

    def _home_ok(self, home: Page) -> bool:
        if home.error is not None:
            self.note(f"首页无法访问（{home.error}），采集提前结束")
            return False
        if home.blocked is not None:
            self.note(f"首页被服务器拒绝访问（{home.blocked}），采集提前结束，结果不确定")
            return False
        if home.status is None or home.status >= 400:
            self.note(f"首页返回 HTTP {home.status}，采集提前结束")
            return False
        return True

    async def _process_home(self, home: Page, base: str) -> None:
        if not home.html:
            self.report()
            return
        tree = LexborHTMLParser(home.html)
        final_netloc = _netloc(base)
        scripts: list[str] = []
        if self.full:
            refs = extract_links(tree, base)
            links: list[tuple[str, str, str, str]] = []
            for r in refs:
                url = self.canon(r.url)
                if url:
                    links.append((r.tag, url, r.text, r.position))
        else:
            links = [(tag, url, text, "body") for tag, url, text in self._links_of(tree, base, False)]
        del tree
        if not self.full:
            home.html = ""
        self.home_links = {url for _, url, _, _ in links}
        for tag, url, text, position in links:
            if (
                self.full
                and tag == "script"
                and _netloc(url) == final_netloc
                and len(scripts) < _MAX_SCRIPTS
            ):
                if url not in self.seen:
                    self.seen.add(url)
                    scripts.append(url)
                continue
            tier, role = _T_OTHER, "other"
            if self.full and tag in _CRAWLABLE_TAGS:
                if any(w in text for w in _SITEMAP_WORDS):
                    tier, role = _T_SITEMAP, "sitemap"
                elif position in ("nav", "header"):
                    tier, role = _T_NAV, "column"
            self._offer(tag, url, text, home, 1, tier, role, url if role == "column" else None)
        if scripts:
            await asyncio.gather(*(self._fetch_script(u, home.final_url) for u in scripts))
        self.report()

    async def _fetch_script(self, url: str, referrer: str) -> None:
        page = await self.f.fetch(url, want_text=True)
        page.role, page.depth, page.referrer = "script", 1, referrer
        self.snap.pages.append(page)
        self.started += 1

    def _links_of(self, tree: LexborHTMLParser, base: str, with_text: bool) -> list[_Link]:
        """Absolute links of a parsed page (honouring <base href>).

        Links mode skips an href already met in the same directory (or, for "/..." and
        "http://...", anywhere on the origin): the nav, footer and list links repeated across
        pages then cost one set lookup instead of a join and a frontier offer.
        """
        for node in tree.tags("base"):
            href = node.attrs.get("href")
            if href:
                b = absolute(base, href)
                if b:
                    base = self.canon(b) or base
                break
        joiner = _Joiner(base, self.canon)
        join = joiner.join
        out: list[_Link] = []
        if self.full:
            for tag, href, text in _raw_links(tree, with_text):
                url = join(href)
                if url is not None:
                    out.append((tag, url, text))
            return out
        met = self._met.get(joiner.origin)
        if met is None:
            met = self._met[joiner.origin] = set()
        dir_path = joiner.dir_path
        for tag, href, text in _raw_links(tree, False):
            # The same href in the same directory of the same origin always resolves to the
            # same URL (RFC 3986 merge), so "dir + href" identifies it without resolving;
            # only "?query" hrefs depend on the page itself.
            if href[:1] == "/" or href.startswith(("http://", "https://")):
                key = href
            elif href[:1] == "?":
                key = ""
            else:
                key = dir_path + href
            if key:
                if key in met:
                    continue
                met.add(key)
            url = join(href)
            if url is not None:
                out.append((tag, url, text))
        return out

    # ------------------------------------------------------------------ frontier
    def _offer(
        self,
        tag: str,
        url: str,
        text: str,
        src: Page,
        depth: int,
        tier: int,
        role: str,
        column: str | None,
    ) -> None:
        """Give one link found on ``src`` a future: crawl, check, or refuse (trap / budget)."""
        if url in self.seen:
            if self.full and tier < self.queued.get(url, -1):
                self.push(_Task(url, depth, role, src.final_url or src.url, tier, column))
            return
        stripped = strip_session_ids(url)
        if stripped is not url and stripped != url:
            self.sessions_stripped += 1
            url = stripped
            if url in self.seen:
                return
        self.seen.add(url)
        if _netloc(url) not in self.scope:
            if self.s.check_external_links:
                self.schedule_check(url, _ext(url) in ATTACHMENT_EXTS, True)
            return
        if self.traps.check(url) is not None:
            return
        ext = _ext(url)
        if tag not in _CRAWLABLE_TAGS or ext in NON_HTML_EXTS:
            self.schedule_check(url, ext in ATTACHMENT_EXTS)
            return
        if depth > self.s.max_depth:
            self.schedule_check(url, False)
            return
        self.push(_Task(url, depth, role, src.final_url or src.url, tier if self.full else 0, column))

    def _classify(self, t: _Task, page: Page, links: Iterable[_Link]) -> None:
        depth = t.depth + 1
        if not self.full:
            for tag, url, text in links:
                self._offer(tag, url, text, page, depth, 0, "other", None)
            return
        listing = t.role in ("column", "pagination") and t.column is not None
        col = t.column or ""
        col_dir = col[: col.rfind("/") + 1] if col else ""
        for tag, url, text in links:
            tier, role, column = _T_OTHER, "other", None
            if tag in _CRAWLABLE_TAGS:
                if t.role == "sitemap":
                    tier, role, column = _T_COLUMN, "column", url
                elif any(w in text for w in _SITEMAP_WORDS):
                    tier, role = _T_SITEMAP, "sitemap"
                elif listing and url not in self.home_links and url != col:
                    tier, role, column = self._list_role(url, text, col, col_dir)
            self._offer(tag, url, text, page, depth, tier, role, column)

    def _list_role(self, url: str, text: str, col: str, col_dir: str) -> tuple[int, str, str | None]:
        """Role of a link found on a column list page (pagination, detail, sub-column, other)."""
        if url in self.seen:
            return _T_OTHER, "other", None
        s = self.s
        if any(w in text for w in _PAGINATION_WORDS) or (
            url.startswith(col_dir) and _PAGINATION_URL.search(url)
        ):
            key = (col, "pagination")
            n = self.per_column.get(key, 0)
            if n < s.max_list_pages_per_column:
                self.per_column[key] = n + 1
                return _T_PAGINATION, "pagination", col
            return _T_OTHER, "other", None
        if _DETAIL_URL.search(url):
            key = (col, "detail")
            n = self.per_column.get(key, 0)
            if n < s.max_detail_pages_per_column:
                self.per_column[key] = n + 1
                return _T_DETAIL, "detail", col
            return _T_OTHER, "other", None
        last = url[url.rfind("/") + 1 :]
        if url.startswith(col_dir) and url != col_dir and last.lower() in _INDEX_NAMES and "?" not in last:
            return _T_COLUMN, "column", url  # a sub-column under this column
        return _T_OTHER, "other", None

    async def _next(self) -> _Task | None:
        while True:
            if self.stop:
                return None
            heap = self.heap
            while heap:
                tier, _, _, task = heap[0]
                if self.full and self.queued.get(task.url) != tier:
                    heapq.heappop(heap)  # superseded by a better-tier entry, or already taken
                    continue
                if self.started >= self.s.max_pages:
                    self._budget_hit()
                    return None
                heapq.heappop(heap)
                if self.full:
                    del self.queued[task.url]
                self.started += 1
                self.active += 1
                return task
            if self.active == 0:
                self.stop = True
                self.wake.set()
                return None
            self.wake.clear()
            await self.wake.wait()

    def _budget_hit(self) -> None:
        if not self.snap.budget_exhausted:
            self.snap.budget_exhausted = True
            self.note(f"页面数量达到上限（{self.s.max_pages}），其余页面仅做可用性检查或未采集")
        self.stop = True
        self.wake.set()

    def _drain_frontier(self) -> None:
        """After the budget: links that were waiting get a HEAD check instead (if room left)."""
        while self.heap:
            tier, _, _, task = heapq.heappop(self.heap)
            if self.full:
                if self.queued.get(task.url) != tier:
                    continue
                del self.queued[task.url]
            self.schedule_check(task.url, False)

    async def _worker(self) -> None:
        while True:
            task = await self._next()
            if task is None:
                return
            try:
                await self._crawl_one(task)
            finally:
                self.active -= 1
                self.wake.set()

    async def _crawl_one(self, t: _Task) -> None:
        page = await self.f.fetch(t.url, want_text=False)
        page.depth, page.referrer, page.role = t.depth, t.referrer, t.role
        self.snap.pages.append(page)
        if page.blocked is not None:
            self.blocked_streak += 1
            if self.blocked_streak >= _BLOCK_STREAK_STOP and not self.stop:
                self.note(
                    f"连续 {self.blocked_streak} 个页面被服务器拒绝（{page.blocked}），停止采集，结果不确定"
                )
                self.stop = self.blocked_stop = True
                self.wake.set()
        else:
            self.blocked_streak = 0
        final = page.final_url
        if final != t.url:
            c = self.canon(final)
            if c is not None:
                final = c
                self.seen.add(c)
        html = page.html
        if not self.full:
            page.html = ""  # links mode keeps no bodies (RSS)
        if html and page.ok and _netloc(final) in self.scope:
            want_text = self.full and t.role in ("column", "pagination", "sitemap")
            tree = LexborHTMLParser(html)
            links = list(self._links_of(tree, final, want_text))
            del tree, html
            self._classify(t, page, links)
        self.report()

    async def _lc_worker(self) -> None:
        q = self.lc_queue
        links = self.snap.link_checks
        while True:
            url, body, external = await q.get()
            try:
                links[url] = await self.f.check_link(url, body=body, cache=external)
            except Exception:  # noqa: BLE001 - check_link never raises; be safe anyway
                pass
            finally:
                q.task_done()


async def crawl_site(
    fetcher: Fetcher,
    target: Target,
    settings: CollectSettings,
    *,
    mode: str = "full",
    progress: Callable[[int, int], None] | None = None,
) -> SiteSnapshot:
    """Crawl one website from ``target.url`` into a SiteSnapshot (never raises for the site).

    ``pages[0]`` is the home page (role "home") even when it failed; the crawl then stops early
    with a note. ``mode="links"`` keeps no HTML (``Page.html == ""``) and fetches no scripts.
    """
    return await _Crawl(fetcher, target, settings, mode, progress).run()
