"""Download a site's attachments and read their text (privacy and content checks read it).

Which files: the attachment links (``LinkRef.is_attachment``) of every crawled HTML page, on
the site itself or on its own file host (a subdomain of the site's host, e.g.
``files.chengdu.gov.cn`` for ``www.chengdu.gov.cn``), in a format we can read, each URL once.
When there are more than ``max_files``, the likeliest lists of people come first: link texts
with 名单 / 花名册 / 汇总表 / 补贴 / 发放 / 录用 / 人员 (strong) or 公示 / 拟 / 表 (weak), then
spreadsheets before documents, then the newest (a date in the link text or URL), then crawl
order.

How: ``Fetcher.fetch_bytes`` with a byte cap and a time limit (no text decoding), then
``extract.attachment_text`` in a worker process with its own time limit, so that neither a
slow server nor a pathological file can hold up an inspection. Identical files (same bytes
under two URLs) are read once.

Every file gives an ``Attachment``; when its text could not be read, ``error`` says why
(http_404, timeout, waf, too_large, zip_bomb, encrypted, corrupt, unsupported, no_text,
empty, crashed ...) and the checks report it as *inconclusive*. A file cut at the byte cap
keeps whatever text could be read before the cut (``truncated``) with error "too_large".
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from xuncha.collect.http import Fetcher
from xuncha.extract.attachment_text import ExtractPool, ExtractResult, default_pool
from xuncha.extract.html import url_ext
from xuncha.extract.links import extract_links
from xuncha.model import Attachment, LinkRef, SiteSnapshot

__all__ = ["READABLE_EXTS", "AttachmentLink", "attachment_links", "collect_attachments", "priority"]

# Formats extract.attachment_text can read (archives, images, OFD, slides are not fetched).
READABLE_EXTS: frozenset[str] = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".xlsm", ".xlsb", ".ods", ".csv", ".wps", ".et", ".txt"}
)
STRONG_WORDS: tuple[str, ...] = ("名单", "花名册", "汇总表", "补贴", "发放", "录用", "人员")
WEAK_WORDS: tuple[str, ...] = ("公示", "拟", "表")
_SHEET_EXTS = frozenset({".xls", ".xlsx", ".xlsm", ".xlsb", ".ods", ".et", ".csv"})
_LINK_TAGS = frozenset({"a", "area", "iframe", "frame"})
_DATE = re.compile(r"(20\d{2})[-/_.年]?(0[1-9]|1[0-2])(?:[-/_.月]?(0[1-9]|[12]\d|3[01]))?")
_DOWNLOADS = 4  # files downloaded at once per site (the Fetcher's per-host limits still apply)


@dataclass
class AttachmentLink:
    """One attachment link chosen for download."""

    url: str
    source_url: str
    text: str
    order: int  # first-seen position in crawl order


def _host_port(netloc: str) -> tuple[str, str]:
    parts = urlsplit("//" + netloc)
    return (parts.hostname or "").lower(), str(parts.port or "")


def _bare(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


def _site_matcher(snapshot: SiteSnapshot, extra_hosts: Iterable[str]) -> set[str]:
    """Hosts (lower case, www. dropped) of the site: home, its final URL, crawled pages."""
    urls = [snapshot.home_url]
    for p in snapshot.pages:
        urls.append(p.url)
    if snapshot.home is not None and snapshot.home.final_url:
        urls.append(snapshot.home.final_url)
    hosts = {_bare((urlsplit(u).hostname or "").lower()) for u in urls}
    hosts |= {_bare(h.lower()) for h in extra_hosts}
    hosts.discard("")
    return hosts


def _same_site(url: str, hosts: set[str], home_host: str) -> bool:
    host = _bare((urlsplit(url).hostname or "").lower())
    if not host:
        return False
    if host in hosts:
        return True
    # the site's own file host: a subdomain of the site's host (not of a shared parent domain)
    return bool(home_host) and home_host.count(".") >= 2 and host.endswith("." + home_host)


def priority(link: AttachmentLink) -> tuple[int, int, int]:
    """Sort key (smaller first): keyword score, spreadsheet, recency, crawl order."""
    name = unquote(urlsplit(link.url).path.rsplit("/", 1)[-1])
    text = f"{link.text} {name}"
    score = sum(2 for w in STRONG_WORDS if w in text) + sum(1 for w in WEAK_WORDS if w in text)
    if url_ext(link.url) in _SHEET_EXTS:
        score += 1
    newest = 0
    for m in _DATE.finditer(f"{link.text} {link.url} {link.source_url}"):
        newest = max(newest, int(m.group(1) + m.group(2) + (m.group(3) or "00")))
    return (-score, -newest, link.order)


def _page_links(snapshot: SiteSnapshot) -> Iterator[LinkRef]:
    for page in snapshot.pages:
        if page.html and page.ok:
            yield from extract_links(page.html, page.final_url or page.url)


def attachment_links(
    snapshot: SiteSnapshot,
    *,
    extra_hosts: Iterable[str] = (),
    links: Iterable[LinkRef] | None = None,
) -> list[AttachmentLink]:
    """Readable same-site attachment links of the crawled pages, each URL once, by priority.

    ``links``: the links already extracted (``SiteStructure.links``), to save parsing every
    page again; by default they are extracted from the snapshot's HTML pages.
    """
    hosts = _site_matcher(snapshot, extra_hosts)
    home_host = _bare((urlsplit(snapshot.home_url).hostname or "").lower())
    found: dict[str, AttachmentLink] = {}
    for ref in _page_links(snapshot) if links is None else links:
        if not ref.is_attachment or ref.tag not in _LINK_TAGS:
            continue
        if url_ext(ref.url) not in READABLE_EXTS or not _same_site(ref.url, hosts, home_host):
            continue
        hit = found.get(ref.url)
        if hit is None:
            found[ref.url] = AttachmentLink(ref.url, ref.source_url, ref.text, len(found))
        elif not hit.text and ref.text:
            hit.text = ref.text
    return sorted(found.values(), key=priority)


def _hint(url: str, content_type: str) -> str:
    ext = url_ext(url)
    return ext[1:] if ext else content_type


async def collect_attachments(
    fetcher: Fetcher,
    snapshot: SiteSnapshot,
    *,
    max_files: int = 50,
    max_bytes: int = 20 * 1024 * 1024,
    timeout_s: float = 60,
    parse_timeout_s: float = 30,
    max_chars: int = 2_000_000,
    extra_hosts: Iterable[str] = (),
    links: Iterable[LinkRef] | None = None,
    pool: ExtractPool | None = None,
) -> list[Attachment]:
    """Download and read up to ``max_files`` attachments of the snapshot's pages (by priority).

    ``timeout_s`` bounds each download, ``parse_timeout_s`` each file's parsing (in a worker
    process of ``pool``, the process-wide pool by default). ``links``: already extracted links
    (see :func:`attachment_links`). Never raises for a bad file or server: each file's trouble
    is in its ``Attachment.error``.
    """
    chosen = attachment_links(snapshot, extra_hosts=extra_hosts, links=links)[: max(0, max_files)]
    if not chosen:
        return []
    pool = pool or default_pool()
    gate = asyncio.Semaphore(_DOWNLOADS)
    by_hash: dict[str, asyncio.Future[ExtractResult]] = {}

    async def parse(digest: str, body: bytes, hint: str, cut: bool) -> ExtractResult:
        fut = by_hash.get(digest)
        if fut is None:
            fut = by_hash[digest] = asyncio.ensure_future(
                asyncio.to_thread(
                    pool.run, body, hint, timeout_s=parse_timeout_s, max_chars=max_chars,
                    truncated_input=cut,
                )
            )
        return await asyncio.shield(fut)

    async def one(link: AttachmentLink) -> Attachment:
        async with gate:
            page, body = await fetcher.fetch_bytes(link.url, max_bytes=max_bytes, timeout_s=timeout_s)
        hint = _hint(link.url, page.content_type)
        att = Attachment(
            url=link.url,
            source_url=link.source_url,
            link_text=link.text,
            status=page.status,
            content_type=page.content_type,
            kind=hint if hint and "/" not in hint else "other",
            size=len(body),
            fetched_at=page.fetched_at,
        )
        if page.error is not None:
            att.error = page.error
            return att
        if page.blocked is not None:
            att.error = page.blocked
            return att
        if page.status is not None and page.status >= 400:
            att.error = f"http_{page.status}"
            return att
        if not body:
            att.error = "empty"
            return att
        att.body_hash = hashlib.sha256(body).hexdigest()
        res = await parse(att.body_hash, body, hint, page.truncated)
        att.kind = res.kind
        att.segments = list(res.segments)
        att.error = res.error
        att.truncated = res.truncated
        if page.truncated:  # cut at max_bytes: what was read stays, the file is incomplete
            att.error = "too_large"
            att.truncated = True
        return att

    return list(await asyncio.gather(*(one(link) for link in chosen)))
