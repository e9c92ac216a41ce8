"""The main job end to end on the demo world: inspect → store → reports → rejudge, SQLite and PostgreSQL.

The world is served on loopback only (CollectSettings.loopback_only), never a real site.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from xuncha.cli import app
from xuncha.demo import World, build_world, serve_world
from xuncha.demo.run import compare_with_manifest
from xuncha.model import Probe
from xuncha.pipeline import RunOutcome, inspect_async, monitor_async, rejudge
from xuncha.settings import TZ, Settings
from xuncha.store import Store

AS_OF = datetime(2025, 3, 20, 23, 59, 59, tzinfo=TZ)
CLEAN = "9901000001"  # 青山市人民政府: clean in the manifest


@dataclass
class Inspected:
    world: World
    outcome: RunOutcome
    out: Path
    db_url: str


def _inspect(world: World, out: Path, db_url: str, *, probes: list[Probe] | None = None,
             only: list[str] | None = None) -> RunOutcome:
    async def go() -> RunOutcome:
        async with await serve_world(world) as srv:
            settings = replace(Settings(), collect=srv.collect_settings(), db_url=db_url)
            if probes:
                with Store(db_url) as st:
                    st.add_probes(probes)
            return await inspect_async(world.registry_xlsx, as_of=AS_OF, out=out, settings=settings, only=only,
                                       repost_tasks_path=world.repost_tasks)

    return asyncio.run(go())


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("world"), AS_OF.date())


@pytest.fixture(scope="module")
def inspected(world: World, tmp_path_factory: pytest.TempPathFactory) -> Inspected:
    out = tmp_path_factory.mktemp("out")
    db_url = f"sqlite:///{out / 'x.db'}"
    return Inspected(world, _inspect(world, out, db_url), out, db_url)


def test_every_planted_problem_found_and_clean_sites_clean(inspected: Inspected) -> None:
    check = compare_with_manifest(inspected.world.manifest, inspected.outcome.results)
    assert check.ok, check.to_text()


def test_reports_agree_with_the_database(inspected: Inspected) -> None:
    lines = [json.loads(x) for x in (inspected.out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    with Store(inspected.db_url) as st:
        stored = st.findings(inspected.outcome.run_id)
        results = st.target_results(inspected.outcome.run_id)
    assert len(lines) == len(stored) > 0
    assert {(f["target_id"], f["code"], f["severity"]) for f in lines} == {
        (f.target_id, f.code, f.severity) for f in stored
    }
    assert all(f["evidence"] and f["url"].startswith("http") for f in lines)
    wb = load_workbook(inspected.out / "summary.xlsx")
    rows = {r[0]: r for r in wb["检查结果"].iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {r.target.id for r in results}
    vetoed = {r.target.id for r in inspected.outcome.results if r.veto_codes}
    assert {i for i, r in rows.items() if r[9] == "不合格"} == vetoed
    md = (inspected.out / "summary.md").read_text(encoding="utf-8")
    sites = sum(1 for r in results if r.inspected and r.target.kind == "website")
    accounts = sum(1 for r in results if r.inspected and r.target.kind != "website")
    assert f"检查网站 {sites} 个、政务新媒体账号 {accounts} 个，共 {sites + accounts} 个；存在单项否决问题 {len(vetoed)} 个" in md


def test_skipped_targets_are_listed_not_inspected(inspected: Inspected) -> None:
    by_id = {r.target.id: r for r in inspected.outcome.results}
    assert not by_id["9901000008"].inspected and "注销" in by_id["9901000008"].skipped_reason
    # 关停 but still online: not inspected, yet the registry mismatch is reported
    closed = by_id["9901000007"]
    assert not closed.inspected and [f.code for f in closed.findings] == ["W.REGISTRY.MISMATCH"]


def test_accounts_are_inspected_and_missing_data_never_vetoes(inspected: Inspected) -> None:
    by_id = {r.target.id: r for r in inspected.outcome.results}
    clean = by_id["gh_5c2e9a1f7b3d"]  # 青山发布 (WeChat, RSS): posts every 2-3 days
    assert clean.inspected and clean.health == "ok" and clean.veto_codes == []
    assert clean.latest_post is not None
    stale = by_id["gh_3b7d1e9c2a58"]  # newest ordinary post 20 days ago, a pinned one yesterday
    assert "M.VETO.STALE" in stale.veto_codes
    for blind in ("gh_8e2f4a6c1d90", "gh_1f9e7d5b3c64"):  # login page instead of a feed; no source
        r = by_id[blind]
        assert r.veto_codes == [] and r.health not in ("ok", "empty")
        assert any(f.code == "M.VETO.STALE" and f.severity == "inconclusive" for f in r.findings)
    wb = load_workbook(inspected.out / "summary.xlsx")
    rows = {r[0]: r for r in wb["政务新媒体账号"].iter_rows(min_row=2, values_only=True)}
    assert rows["gh_3b7d1e9c2a58"][6] == "不合格" and rows["gh_5c2e9a1f7b3d"][6] == "合格"


def test_rejudge_later_without_fetching(inspected: Inspected, tmp_path: Path) -> None:
    """No server is running now: a month later the clean portal's home page is stale."""
    later = AS_OF + timedelta(days=30)
    outcome = rejudge(inspected.outcome.run_id, as_of=later, out=tmp_path, settings=Settings(db_url=inspected.db_url))
    by_id = {r.target.id: r for r in outcome.results}
    assert "W.VETO.HOME_STALE" in by_id[CLEAN].veto_codes
    assert "W.VETO.HOME_STALE" not in next(r for r in inspected.outcome.results if r.target.id == CLEAN).veto_codes
    with Store(inspected.db_url) as st:
        assert len(st.judgements(inspected.outcome.run_id)) == 2
        # the first judgement is kept
        first = st.judgements(inspected.outcome.run_id)[0].id
        assert len(st.findings(inspected.outcome.run_id, first)) == len(
            [f for r in inspected.outcome.results for f in r.findings])
    assert (tmp_path / "summary.md").exists()
    # rejudging at the original date reproduces the original verdicts exactly
    same = rejudge(inspected.outcome.run_id, as_of=AS_OF, out=tmp_path, settings=Settings(db_url=inspected.db_url))
    assert {r.target.id: r.veto_codes for r in same.results} == {
        r.target.id: r.veto_codes for r in inspected.outcome.results}


def test_probe_history_decides_unreachability(world: World, tmp_path: Path) -> None:
    """A week of stored probes (as `xuncha monitor` writes them) with 6 % failures vetoes a site
    that answered every probe during the inspection itself."""
    url = world.site(CLEAN).canonical_url
    start = AS_OF - timedelta(days=7)
    probes = [
        Probe(CLEAN, url, start + timedelta(minutes=60 * i + 5), ok=(i % 50) not in (0, 1, 2), status=200)
        for i in range(7 * 24)
    ]
    assert sum(not p.ok for p in probes) / len(probes) >= 0.05
    outcome = _inspect(world, tmp_path, f"sqlite:///{tmp_path / 'h.db'}", probes=probes, only=[CLEAN])
    (res,) = outcome.results
    veto = [f for f in res.findings if f.code == "W.VETO.UNREACHABLE"]
    assert veto and veto[0].severity == "veto"


def test_monitor_stores_probes(world: World, tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'm.db'}"

    async def go() -> int:
        async with await serve_world(world) as srv:
            settings = replace(Settings(), collect=srv.collect_settings(), db_url=db_url)
            return await monitor_async(world.registry_xlsx, settings=settings, interval_s=0, jitter_s=0, rounds=2)

    stored = asyncio.run(go())
    from xuncha.registry import load_registry

    running = [t for t in load_registry(world.registry_xlsx).targets if t.kind == "website" and t.status == "running"]
    assert stored == 2 * len(running)
    now = datetime.now(TZ)
    with Store(db_url) as st:
        probes = st.probes(CLEAN, now - timedelta(hours=1), now + timedelta(minutes=1))
        dead = st.probes("9901000005", now - timedelta(hours=1), now + timedelta(minutes=1))
    assert len(probes) == 2 and all(p.ok for p in probes)
    assert len(dead) == 2 and not any(p.ok for p in dead)


@pytest.mark.postgres
def test_postgres_run_is_the_same(world: World, inspected: Inspected, tmp_path: Path,
                                  pg_database: Callable[[], str]) -> None:
    db_url = pg_database()
    outcome = _inspect(world, tmp_path, db_url)
    assert {r.target.id: r.veto_codes for r in outcome.results} == {
        r.target.id: r.veto_codes for r in inspected.outcome.results}
    later = rejudge(outcome.run_id, as_of=AS_OF + timedelta(days=30), out=tmp_path, settings=Settings(db_url=db_url),
                    repost_tasks_path=world.repost_tasks)
    assert "W.VETO.HOME_STALE" in {r.target.id: r for r in later.results}[CLEAN].veto_codes


def test_cli_lists_checks_and_reports_bad_registry(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["checks"])
    assert res.exit_code == 0 and "W.VETO.HOME_STALE" in res.output and "首页不更新" in res.output
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,url\n1,某站,not a url\n", encoding="utf-8")
    res = runner.invoke(app, ["inspect", "--registry", str(bad), "--out", str(tmp_path / "o"),
                              "--db", str(tmp_path / "c.db")])
    assert res.exit_code != 0
    assert "第2行「url」列" in str(res.exception) or "第2行「url」列" in res.output


def test_cli_rejudge_and_runs(inspected: Inspected, tmp_path: Path) -> None:
    runner = CliRunner()
    db = inspected.db_url.removeprefix("sqlite:///")
    res = runner.invoke(app, ["runs", "--db", db])
    assert res.exit_code == 0 and str(inspected.outcome.run_id) in res.output
    res = runner.invoke(app, ["rejudge", str(inspected.outcome.run_id), "--as-of", "2025-04-30",
                              "--out", str(tmp_path), "--db", db])
    assert res.exit_code == 0, res.output
    assert "合格率" in res.output and (tmp_path / "summary.xlsx").exists()
