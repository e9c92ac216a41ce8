"""The bundled demo world: fictional government websites with planted problems, on loopback.

    world = build_world(Path("out/world"), as_of=date(2025, 3, 15))
    async with await serve_world(world) as srv:
        settings = Settings().with_collect(**vars_of(srv.collect_settings()))  # or srv.collect_settings()
        ...  # inspect world.registry_xlsx; compare findings with world.manifest

``build_world`` writes static sites in four CMS styles, registry.xlsx/.csv, manifest.json and a
local CA; ``serve_world`` serves them (HTTP + HTTPS, 127.0.0.1 + ::1, virtual hosts) together
with stub national services (conac, ICP/公安备案, 找错). See world.py and server.py.
"""

from xuncha.demo.server import DemoServer, ipv6_loopback_available, serve_world
from xuncha.demo.sites import SITES, STUB_HOSTS, DemoSite, Knobs
from xuncha.demo.world import MANIFEST, World, build_world, load_world

__all__ = [
    "MANIFEST", "SITES", "STUB_HOSTS", "DemoServer", "DemoSite", "Knobs", "World", "build_world",
    "ipv6_loopback_available", "load_world", "serve_world",
]
