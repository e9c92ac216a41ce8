"""The console on the demo world (``xuncha serve --demo``), reusable by tests.

:func:`start_demo_console` builds the demo world into ``data_dir/world``, serves it on loopback
in a background thread with its own event loop, imports its registry and repost tasks into
the store, and creates the demo accounts when they are missing:

========  ==========  =========================================================================
sup       监管人员    every region
unit      主管单位    东岭县人民政府办公室: 东岭县人民政府 (9901210001, planted problems such as
                      W.ID.FOOTER, W.ID.ZHAOCUO, W.SITEMAP) and the account 东岭农业农村
aud       审计人员    sees everything, changes nothing
========  ==========  =========================================================================

Their password is the one given, or a random one (``DemoConsole.password``; None when every
account existed already and none was given: their passwords are unchanged). Give
``DemoConsole.settings`` to ``create_app(inspect_settings=...)`` and
``DemoConsole.collect_settings`` to ``create_app(collect_settings=...)``: inspections and
re-checks then reach the demo world and nothing else.

The demo server reads a site's files on every request, so :meth:`DemoConsole.fix` plays "the
unit fixes its site": it renders the site again with the planted problem taken out and rewrites
the files that changed; the next re-check (复查) no longer finds it. The fixable problems are
in :data:`FIXES`. The served ports are kept in ``data_dir/demo-ports.json`` and used again on
the next start when they are free, so that stored URLs (cases, earlier runs) keep working.

The registry and the repost tasks are imported on the first start only (an empty store); a
later start keeps what was done in the console (edits, 关停, 注销, uploaded tasks): it adds only
the world's ids the registry lacks, and when the world is served on other ports than before it
moves the URLs (网址 and URL columns such as 采集地址) that still point at an old demo port to
the new one, leaving everything else as it is.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from xuncha.demo.layout import build_tree
from xuncha.demo.render import footprint, render_site
from xuncha.demo.server import DemoServer, serve_world
from xuncha.demo.sites import DemoSite, Knobs
from xuncha.demo.world import World, _encode, _related, build_world
from xuncha.settings import TZ, CollectSettings, Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

DEMO_UNIT_OWNER = "东岭县人民政府办公室"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    region: str = ""
    owner: str = ""
    display_name: str = ""
    created: bool = False  # created by this start (else it existed already)


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("sup", "supervisor", display_name="示例监管人员"),
    DemoUser("unit", "unit", owner=DEMO_UNIT_OWNER, display_name="东岭县人民政府办公室（示例）"),
    DemoUser("aud", "auditor", display_name="示例审计人员"),
)

# Planted problems a demo site can "fix": finding code -> the knobs that take it out again.
# Only knobs that change how pages are rendered (not what they contain) are listed, so that a
# fixed site is the same site with that one problem gone.
FIXES: dict[str, Callable[[Knobs], dict[str, Any]]] = {
    "W.ID.FOOTER": lambda k: {"footer_missing": frozenset()},
    "W.ID.SITE_CODE": lambda k: {"footer_code": "", "zhaocuo_code": ""},
    "W.ID.SITE_NAME": lambda k: {"header_name": ""},
    "W.ID.ZHAOCUO": lambda k: {"zhaocuo": "a" if k.zhaocuo == "none" else k.zhaocuo, "zhaocuo_code": ""},
    "W.SITEMAP": lambda k: {"sitemap": True},
    "W.LINK.BROKEN_HOME": lambda k: {"broken_home_links": False},
    "W.LINK.BROKEN_OTHER": lambda k: {"broken_inner_links": 0},
}
RECHECK_MAX_PAGES = 60  # as the console's automatic re-check (web.cases)
START_TIMEOUT_S = 60.0


class _LoopThread:
    """An event loop running forever in a daemon thread (the demo server lives there)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="xuncha-demo-world", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = START_TIMEOUT_S) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        if self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        if not self.thread.is_alive():
            self.loop.close()


@dataclass
class DemoConsole:
    """A served demo world with its registry imported and the demo accounts in the store."""

    world: World
    server: DemoServer
    db_url: str
    data_dir: Path
    settings: Settings  # for inspections started from the console (create_app inspect_settings)
    collect_settings: CollectSettings  # for re-checks (create_app collect_settings)
    users: dict[str, DemoUser]
    password: str | None  # None: every account existed already and kept its password
    registry_count: int = 0
    repost_task_count: int = 0
    _loop: _LoopThread | None = field(default=None, repr=False)

    @property
    def unit_owner(self) -> str:
        return DEMO_UNIT_OWNER

    def url_of(self, target_id: str) -> str:
        """The home URL of a demo site as served now (with the real port)."""
        return self.server.registry_urls()[target_id]

    def fix(self, target_id: str, code: str) -> list[str]:
        """Take the planted problem ``code`` out of site ``target_id`` as the unit would: the
        site is rendered again without it and the files that changed are rewritten in place
        (the server reads them on every request). Returns the changed paths. Raises
        ValueError for a target or code that cannot be fixed this way (see :data:`FIXES`)."""
        try:
            site = self.world.site(target_id)
        except KeyError:
            raise ValueError(f"示例网站群中没有标识码为「{target_id}」的对象") from None
        change = FIXES.get(code)
        if change is None:
            raise ValueError(f"示例网站不支持自动整改「{code}」（支持：{'、'.join(FIXES)}）")
        if not site.served or site.kind != "website":
            raise ValueError(f"「{site.reg_name}」（{target_id}）不是在本机提供的示例网站，无法整改")
        fixed = replace(site, knobs=replace(site.knobs, **change(site.knobs)))
        changed = write_site(self.world, fixed)
        self.world.sites[self.world.sites.index(site)] = fixed
        log.info("demo site %s fixed %s: %d files rewritten", target_id, code, len(changed))
        return changed

    def close(self) -> None:
        """Stop serving the demo world (the files, database and accounts stay)."""
        loop, self._loop = self._loop, None
        if loop is None:
            return
        try:
            loop.call(self.server.close(), timeout=15)
        except Exception:  # closing is best effort
            log.exception("closing the demo server failed")
        loop.stop()

    def __enter__(self) -> DemoConsole:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_site(world: World, site: DemoSite) -> list[str]:
    """Render ``site`` as ``build_world`` does and rewrite the files whose bytes differ."""
    assert world.as_of is not None
    tree = build_tree(site, world.as_of, world.seed)
    out = render_site(tree, footprint(tree), _related(site))
    docroot = world.root / "sites" / site.host
    changed = []
    for path, content in sorted(out.files.items()):
        data = _encode(site, content)
        dest = docroot / path.lstrip("/")
        if dest.is_file() and dest.read_bytes() == data:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}")
        tmp.write_bytes(data)
        os.replace(tmp, dest)  # a request never sees half a file
        changed.append(path)
    return changed


def _ports(path: Path) -> tuple[int, int]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return int(data["http_port"]), int(data["https_port"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0, 0


async def _serve(world: World, ports: tuple[int, int]) -> DemoServer:
    if ports != (0, 0):
        try:
            return await serve_world(world, http_port=ports[0], https_port=ports[1])
        except OSError:
            log.info("demo ports %s are taken, picking new ones", ports)
    return await serve_world(world)


def _accounts(store: Any, password: str | None) -> tuple[dict[str, DemoUser], str | None]:
    """Create the demo accounts that are missing; with a ``password`` given, existing demo
    accounts get it too. Returns the accounts and the password now valid for the created ones."""
    from xuncha.web.auth import hash_password

    created_any = any(store.user_credentials(u.username) is None for u in DEMO_USERS)
    if password is None and created_any:
        password = secrets.token_urlsafe(9)
    users: dict[str, DemoUser] = {}
    for u in DEMO_USERS:
        found = store.user_credentials(u.username)
        if found is None:
            assert password is not None
            store.add_user(u.username, hash_password(password), u.role, region=u.region, owner=u.owner,
                           display_name=u.display_name, created_by="demo")
            users[u.username] = replace(u, created=True)
            continue
        user = found[0]
        if password is not None:
            store.set_password_hash(user.id, hash_password(password))
        users[u.username] = DemoUser(user.username, user.role, user.region, user.owner, user.display_name)
    return users, password


def _moved_url(value: str, srv: DemoServer, old_ports: set[int]) -> str:
    """``value`` on the port the world is served on now when it is a demo address on an old
    demo port (any port for an unreachable "dead" demo host, whose port changes every start);
    anything else unchanged."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return value
    host = (parts.hostname or "").lower()
    if not host or port is None or parts.scheme not in ("http", "https"):
        return value
    dead = (srv.world.hosts.get(host) or {}).get("serve") == "dead"
    if port not in old_ports and not dead:
        return value
    moved = srv.with_port(urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment)))
    return moved if urlsplit(moved).port is not None else value  # not a host served here


def _prepare_registry(store: Any, world: World, srv: DemoServer, old_ports: set[int], on: date) -> None:
    """Import the world's registry into an empty store; otherwise add only the world's ids the
    registry lacks and move the URLs still on an old demo port (see the module docstring)."""
    from xuncha.errors import RegistryError
    from xuncha.registry import load_registry
    from xuncha.registry.manage import import_registry, revise_target

    stored = store.registry_entries()
    if not stored:
        import_registry(store, world.registry_xlsx, by="demo")
        return
    have = {e.target.id for e in stored}
    missing = {t.id for t in load_registry(world.registry_xlsx, skip_bad_rows=True).targets} - have
    if missing:
        import_registry(store, world.registry_xlsx, by="demo", only=missing)
    for e in stored:
        t = e.target
        url = _moved_url(t.url, srv, old_ports)
        extra = {k: _moved_url(v, srv, old_ports) if isinstance(v, str) else v for k, v in t.extra.items()}
        if url == t.url and extra == t.extra:
            continue
        try:
            revise_target(store, t.id, replace(t, url=url, extra=extra), by="demo", on=on,
                          note="示例网站群端口变更，更新网址")
        except RegistryError as exc:  # e.g. 注销: nothing changes after it
            log.info("demo registry entry %s keeps its old URL: %s", t.id, exc)


def start_demo_console(data_dir: Path, db_url: str | None = None, password: str | None = None, *,
                       as_of: date | None = None) -> DemoConsole:
    """Build and serve the demo world under ``data_dir`` and prepare the store at ``db_url``
    (default: SQLite ``data_dir/demo.db``). Close the result when done."""
    from xuncha.registry.tasks import load_repost_tasks
    from xuncha.store import Store

    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    db_url = db_url or f"sqlite:///{data_dir / 'demo.db'}"
    world = build_world(data_dir / "world", as_of or datetime.now(TZ).date())
    ports_file = data_dir / "demo-ports.json"
    old_ports = _ports(ports_file)
    loop = _LoopThread()
    srv: DemoServer | None = None
    try:
        srv = loop.call(_serve(world, old_ports))
        ports_file.write_text(json.dumps({"http_port": srv.http_port, "https_port": srv.https_port}),
                              encoding="utf-8")
        with Store(db_url) as store:
            _prepare_registry(store, world, srv, {p for p in old_ports if p} - {srv.http_port, srv.https_port},
                              datetime.now(TZ).date())
            if not store.repost_tasks():  # tasks uploaded in the console stay
                store.set_repost_tasks(load_repost_tasks(world.repost_tasks), by="demo")
            registry_count = len(store.registry_targets())
            repost_task_count = len(store.repost_tasks())
            users, password = _accounts(store, password)
    except BaseException:
        if srv is not None:
            loop.call(srv.close(), timeout=15)
        loop.stop()
        raise
    return DemoConsole(
        world=world, server=srv, db_url=db_url, data_dir=data_dir,
        settings=Settings(collect=srv.collect_settings(), db_url=db_url),
        collect_settings=srv.collect_settings(CollectSettings(max_pages=RECHECK_MAX_PAGES)),
        users=users, password=password, registry_count=registry_count, repost_task_count=repost_task_count, _loop=loop,
    )
