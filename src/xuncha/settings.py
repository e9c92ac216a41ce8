"""All tunables in one typed place (like Scrapy's settings file), each with a comment.

Collection settings say how politely and how far we fetch; thresholds say how we judge.
Thresholds marked [U] in indicators.md are product defaults to be replaced by rule sets.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")

USER_AGENT = (
    "Mozilla/5.0 (compatible; xuncha/0.1; +https://github.com/xuncha/xuncha; "
    "government website inspection / 政府网站巡查)"
)


@dataclass(frozen=True)
class CollectSettings:
    user_agent: str = USER_AGENT
    timeout_s: float = 15.0  # per request; the unreachable rule fails a home page at 15 s
    connect_timeout_s: float = 10.0
    per_host_concurrency: int = 4  # politeness towards one government server
    global_concurrency: int = 64  # whole run
    sites_concurrency: int = 8  # sites crawled at the same time
    retries: int = 2  # on connection errors / timeouts only, with exponential back-off
    backoff_s: float = 0.5
    max_redirects: int = 10
    max_page_bytes: int = 5 * 1024 * 1024  # HTML bodies are cut here (page marked truncated)
    max_pages: int = 400  # per site
    max_depth: int = 4  # clicks from the home page
    max_link_checks: int = 3000  # per site, links checked without being crawled
    max_list_pages_per_column: int = 3  # pagination pages read per column
    max_detail_pages_per_column: int = 5  # detail pages read per column (dates, fraud checks)
    max_query_variants_per_path: int = 20  # trap guard: ?a=1, ?a=2 ... on one path
    max_repeated_segments: int = 2  # trap guard: /a/b/a/b/a/
    max_url_length: int = 512
    respect_robots: bool = True  # --ignore-robots for a unit's self-inspection
    min_delay_s: float = 0.0  # per host delay between requests
    probes_per_run: int = 3  # availability probes spread over one inspection
    probe_interval_s: float = 2.0
    check_external_links: bool = True
    # Host -> addresses map used instead of DNS (like curl --resolve): the demo world and the
    # tests name sites www.xxx.gov.cn and serve them on loopback.
    resolve: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Refuse to connect anywhere but 127.0.0.0/8 and ::1 (tests, demo): a host that is not in
    # ``resolve`` and does not resolve to loopback gets error "offline" and is inconclusive.
    loopback_only: bool = False
    extra_ca_file: str | None = None  # trust this CA too (demo HTTPS)


@dataclass(frozen=True)
class Thresholds:
    # indicators.md §1
    unreachable_ratio: float = 0.05  # veto at >= 5 % failed probes over 7 days
    probe_min_per_day: int = 20  # fewer completed probes in a day: 监测不足 [U]
    home_stale_days: int = 14
    news_stale_days: int = 14
    notice_policy_stale_months: int = 6
    periodic_stale_months: int = 12
    columns_stale_veto: int = 5  # A >= 5
    long_stale_veto: int = 10  # B >= 10
    blank_columns_veto: int = 5
    consult_reply_months: int = 3
    consult_window_months: int = 12
    guide_missing_categories: int = 4  # a guide lacking >= 4 categories
    guide_bad_items_veto: int = 5  # M >= 5
    # §4
    cert_warn_days: int = 30
    search_min_age_days: int = 2
    reply_stale_months: int = 2  # W.INT.REPLY_STALE
    # §3 new media
    media_stale_days: int = 14  # M.VETO.STALE [C]
    media_update_slow_days: int = 7  # M.UPDATE.SLOW [U], provinces use 7 or 10
    # W.CONTENT.TYPO / M.CONTENT.TYPO: characters of each page, attachment or post re-read by the
    # language-model pass of xuncha.text.typos (0 = off; ``xuncha inspect --typo-lm`` sets 2000).
    # Off by default: it doubles typo recall at the same precision but costs ~0.25 ms a character.
    typo_lm_chars: int = 0


@dataclass(frozen=True)
class Settings:
    collect: CollectSettings = field(default_factory=CollectSettings)
    thresholds: Thresholds = field(default_factory=Thresholds)
    db_url: str = "sqlite:///xuncha.db"
    ruleset: str = "national-2019"  # scoring/rulesets/<id>.yaml or a path: thresholds + warnings

    def with_collect(self, **kw: object) -> Settings:
        return replace(self, collect=replace(self.collect, **kw))  # type: ignore[arg-type]
