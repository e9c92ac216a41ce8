"""Snapshot → SiteStructure: every extractor applied to the stored pages of one site.

Pure and deterministic, so ``xuncha rejudge`` rebuilds exactly the same structure from the
database without fetching.
"""

from __future__ import annotations

from datetime import date

from xuncha.extract.boards import build_boards
from xuncha.extract.columns import build_columns
from xuncha.extract.guides import build_guides
from xuncha.extract.html import meta_tags, parse, title_of
from xuncha.extract.identity import extract_footer, find_zhaocuo, header_text
from xuncha.extract.links import extract_links
from xuncha.extract.lists import extract_detail_date
from xuncha.extract.search import find_search_form
from xuncha.extract.text import page_segments
from xuncha.model import PageText, SiteSnapshot, SiteStructure


def extract_site(
    snapshot: SiteSnapshot, as_of: date, overrides: dict[str, str] | None = None
) -> SiteStructure:
    site = SiteStructure(home_url=snapshot.home_url)
    home = snapshot.home
    if home is None or not home.html:
        return site
    base = home.final_url or home.url
    tree = parse(home.html)

    cols = build_columns(snapshot, as_of, overrides)
    site.columns = cols.columns
    site.home_items = cols.home_items
    site.home_is_navigation_only = cols.home_is_navigation_only
    site.sitemap_url = cols.sitemap_url

    for page in snapshot.pages:
        if page.html and page.role != "script" and page.error is None:
            for link in extract_links(page.html, page.final_url or page.url):
                link.source_url = page.url
                site.links.append(link)

    scripts = {p.url: p.html for p in snapshot.pages if p.role == "script" and p.html}
    site.footer = extract_footer(tree, base)
    site.zhaocuo = find_zhaocuo(tree, base, scripts)
    site.meta = meta_tags(tree)
    site.title = title_of(tree)
    site.header_text = header_text(tree)
    site.search_form = find_search_form(tree, base, scripts)
    site.boards = build_boards(snapshot, site.columns, as_of)
    site.guides, site.service_entry_urls = build_guides(snapshot, site.columns)
    if not site.sitemap_url and site.footer.sitemap_url:
        site.sitemap_url = site.footer.sitemap_url
    site.texts = page_texts(snapshot, as_of)
    return site


def page_texts(snapshot: SiteSnapshot, as_of: date) -> list[PageText]:
    """Readable text of every crawled HTML page and every downloaded attachment."""
    out: list[PageText] = []
    for page in snapshot.pages:
        if not page.html or page.role == "script" or not page.ok:
            continue
        tree = parse(page.html)
        url = page.final_url or page.url
        published, _ = extract_detail_date(tree, url, as_of) if page.role != "home" else (None, "")
        segments = page_segments(tree)
        title = segments[0].text if segments and segments[0].location == "标题" else ""
        out.append(PageText(url=page.url, segments=segments, date=published, title=title))
    for att in snapshot.attachments:
        out.append(PageText(url=att.url, source="attachment", segments=att.segments, title=att.link_text,
                            source_url=att.source_url, error=att.error))
    return out
