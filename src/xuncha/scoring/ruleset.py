"""Rule sets as data: ``scoring/rulesets/*.yaml`` → a validated ``RuleSet``.

A rule set says which codes veto, how many points each deduction code costs (per instance,
capped per code, capped per group), the pass / bonus / 良好 lines, how sites without service
functions are scaled, how new-media accounts are scored (``veto_only`` or ``deduction``), the
early-warning lines and threshold overrides for the checks. ``inherits: national-2019`` deep-
merges a provincial overlay onto its parent (mappings merge key by key, lists are replaced,
``null`` removes an entry).

Any value may be written ``{value: X, unconfirmed: true}``; entries carry ``unconfirmed`` too.
Those are the [U] values of indicators.md: configurable defaults that reports print as 待核实.
Errors name the file and the key path, in Chinese.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from xuncha.errors import ConfigError

RULESET_DIR = Path(__file__).with_name("rulesets")
DEFAULT_RULESET = "national-2019"
MEDIA_SCORING = ("veto_only", "deduction")
PART_LABELS = {"website": "网站", "media": "政务新媒体"}
THRESHOLD_LABELS = {
    "home_stale_days": "首页未更新天数", "unreachable_ratio": "首页不可访问比例",
    "media_stale_days": "账号未更新天数", "media_update_slow_days": "账号更新不及时天数",
    "news_stale_days": "动态类栏目未更新天数",
}
NO_SERVICE_STRATEGIES = ("scale_4_3", "redistribute")


@dataclass(frozen=True)
class Group:
    name: str
    max: float
    service: bool = False
    unconfirmed: bool = False


@dataclass(frozen=True)
class DeductRule:
    code: str
    group: str
    per: float
    max: float | None
    unconfirmed: bool = False


@dataclass(frozen=True)
class BonusRule:
    code: str
    group: str
    max: float
    unconfirmed: bool = False


@dataclass(frozen=True)
class WarningRule:
    name: str
    code: str
    thresholds: dict[str, Any]
    unconfirmed: bool = False


@dataclass(frozen=True)
class Part:
    """The website part or the new-media part of a rule set."""

    veto: frozenset[str]
    groups: dict[str, Group]
    deductions: dict[str, DeductRule]
    pass_score: float = 60.0
    scoring: str = "deduction"  # media: veto_only | deduction
    bonus_threshold: float = 80.0
    good_threshold: float = 80.0
    bonus_max: float = 0.0
    bonus_portal_only: bool = True
    no_service_function: str = "scale_4_3"
    privacy_veto_when_serious: bool = True
    bonus: dict[str, BonusRule] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(g.max for g in self.groups.values())


@dataclass(frozen=True)
class RuleSet:
    id: str
    title: str
    source: str
    path: str
    website: Part
    media: Part
    warnings: tuple[WarningRule, ...]
    thresholds: dict[str, Any]
    health: dict[str, float]
    unconfirmed: tuple[str, ...]  # human-readable list of 待核实 values
    unconfirmed_codes: dict[str, str] = field(default_factory=dict)  # deduction/bonus code -> its text

    def unconfirmed_for(self, codes: set[str]) -> list[str]:
        """The 待核实 values that matter for a report: every general value (lines, groups,
        warnings) and the per-code values of the codes that were actually scored."""
        per_code = set(self.unconfirmed_codes.values())
        general = [u for u in self.unconfirmed if u not in per_code]
        return general + [self.unconfirmed_codes[c] for c in sorted(codes) if c in self.unconfirmed_codes]

    def part(self, kind: str) -> Part:
        return self.website if kind == "website" else self.media

    def apply_thresholds(self, base: Any) -> Any:
        """``settings.Thresholds`` with this rule set's overrides applied."""
        return dataclasses.replace(base, **self.thresholds) if self.thresholds else base


# --------------------------------------------------------------------------- loading
def available_rulesets() -> list[str]:
    return sorted(p.stem for p in RULESET_DIR.glob("*.yaml"))


def _resolve(name_or_path: str | Path) -> Path:
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") and p.exists():
        return p
    builtin = RULESET_DIR / f"{name_or_path}.yaml"
    if builtin.exists():
        return builtin
    raise ConfigError(
        f"找不到评分规则集「{name_or_path}」：既不是已有文件，也不是内置规则集"
        f"（可用：{'、'.join(available_rulesets())}）"
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"评分规则集 {path} 无法读取：{exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else ""
        raise ConfigError(f"评分规则集 {path} {where}不是有效的 YAML：{exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"评分规则集 {path} 顶层应为映射（id、title、website、media …）")
    return data


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            if v is None:
                out.pop(k, None)
            else:
                out[k] = _merge(base.get(k), v)
        return out
    return over


def _raw(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    if path.resolve() in seen:
        raise ConfigError(f"评分规则集 {path} 的 inherits 形成循环继承")
    data = _read(path)
    parent = data.get("inherits")
    if parent:
        base = _raw(_resolve(str(parent)), (*seen, path.resolve()))
        data = _merge(base, {k: v for k, v in data.items() if k != "inherits"})
        data["inherits"] = parent
    return data


class _Reader:
    """Typed access to the merged mapping; every error names file and key path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.unconfirmed: list[str] = []
        self.by_code: dict[str, str] = {}  # code -> its 待核实 text

    def fail(self, key: str, msg: str) -> ConfigError:
        return ConfigError(f"评分规则集 {self.path} 的 {key}：{msg}")

    def value(self, data: dict[str, Any], key: str, where: str, default: Any, kind: type, label: str = "") -> Any:
        raw = data.get(key, default)
        unconfirmed = False
        if isinstance(raw, dict):
            extra = set(raw) - {"value", "unconfirmed"}
            if "value" not in raw or extra:
                raise self.fail(f"{where}.{key}", "应写成数值，或 {value: 数值, unconfirmed: true}")
            unconfirmed = bool(raw.get("unconfirmed"))
            raw = raw["value"]
        if kind is float:
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                raise self.fail(f"{where}.{key}", f"应为数值，实为「{raw}」")
            raw = float(raw)
            if raw < 0:
                raise self.fail(f"{where}.{key}", "不能为负数")
        elif kind is bool:
            if not isinstance(raw, bool):
                raise self.fail(f"{where}.{key}", f"应为 true 或 false，实为「{raw}」")
        elif not isinstance(raw, kind):
            raise self.fail(f"{where}.{key}", f"类型不对（实为「{raw}」）")
        if unconfirmed:
            self.unconfirmed.append(f"{label or where + '.' + key} {raw:g} 分" if kind is float else f"{label or key}")
        return raw

    def mapping(self, data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
        raw = data.get(key) or {}
        if not isinstance(raw, dict):
            raise self.fail(f"{where}.{key}" if where else key, "应为映射")
        return raw

    def codes(self, data: dict[str, Any], key: str, where: str, prefix: str) -> frozenset[str]:
        raw = data.get(key) or []
        if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
            raise self.fail(f"{where}.{key}", "应为问题代码列表")
        for c in raw:
            _check_code(self, c, f"{where}.{key}", prefix)
        return frozenset(raw)


def _code_title(code: str) -> str:
    from xuncha.checks.base import title_of

    return f"{title_of(code)}（{code}）"


def _check_code(r: _Reader, code: str, where: str, prefix: str) -> None:
    if not code.startswith(prefix) or code.count(".") < 1:
        raise r.fail(where, f"问题代码「{code}」不属于{'网站（W.）' if prefix == 'W.' else '新媒体（M.）'}部分")


def _part(r: _Reader, data: dict[str, Any], where: str, prefix: str) -> Part:
    known = {
        "veto", "groups", "deductions", "pass_score", "scoring", "bonus_threshold", "good_threshold",
        "bonus_max", "bonus_portal_only", "no_service_function", "privacy_veto_when_serious", "bonus",
    }
    unknown = set(data) - known
    if unknown:
        raise r.fail(where, f"未知的键 {'、'.join(sorted(unknown))}")
    groups: dict[str, Group] = {}
    for name, g in r.mapping(data, "groups", where).items():
        if not isinstance(g, dict):
            raise r.fail(f"{where}.groups.{name}", "应为 {max: 分值}")
        gmax = r.value(g, "max", f"{where}.groups.{name}", None, float, f"{name}分组满分")
        if g.get("unconfirmed") and (where == "website" or data.get("scoring") == "deduction"):
            r.unconfirmed.append(f"{PART_LABELS[where]}“{name}”指标分值 {gmax:g} 分")
        groups[str(name)] = Group(str(name), gmax, bool(g.get("service")), bool(g.get("unconfirmed")))
    deductions: dict[str, DeductRule] = {}
    for code, d in r.mapping(data, "deductions", where).items():
        key = f"{where}.deductions.{code}"
        _check_code(r, code, key, prefix)
        if not isinstance(d, dict):
            raise r.fail(key, "应为 {group: 分组, per: 每处扣分, max: 最多扣分}")
        group = d.get("group")
        if group not in groups:
            raise r.fail(key, f"分组「{group}」不在 {where}.groups 中（{'、'.join(groups)}）")
        per = r.value(d, "per", key, None, float)
        cap = r.value(d, "max", key, per, float) if d.get("max") is not None else None
        unc = bool(d.get("unconfirmed"))
        if unc:
            r.unconfirmed.append(f"{_code_title(code)}每处扣 {per:g} 分" + (f"、最多扣 {cap:g} 分" if cap is not None else ""))
            r.by_code[code] = r.unconfirmed[-1]
        deductions[code] = DeductRule(code, str(group), per, cap, unc)
    bonus: dict[str, BonusRule] = {}
    for code, b in r.mapping(data, "bonus", where).items():
        key = f"{where}.bonus.{code}"
        _check_code(r, code, key, prefix)
        if not isinstance(b, dict):
            raise r.fail(key, "应为 {group: 分组, max: 最多加分}")
        bmax = r.value(b, "max", key, None, float)
        if b.get("unconfirmed"):
            r.unconfirmed.append(f"{code} 加分上限 {bmax:g} 分")
            r.by_code[code] = r.unconfirmed[-1]
        bonus[code] = BonusRule(code, str(b.get("group", code)), bmax, bool(b.get("unconfirmed")))
    scoring = data.get("scoring", "deduction")
    if scoring not in MEDIA_SCORING:
        raise r.fail(f"{where}.scoring", f"应为 {' 或 '.join(MEDIA_SCORING)}，实为「{scoring}」")
    nsf = data.get("no_service_function", "scale_4_3")
    if nsf not in NO_SERVICE_STRATEGIES:
        raise r.fail(f"{where}.no_service_function", f"应为 {' 或 '.join(NO_SERVICE_STRATEGIES)}")
    veto = r.codes(data, "veto", where, prefix)
    both = veto & set(deductions)
    if both:
        raise r.fail(where, f"{'、'.join(sorted(both))} 既是否决项又是扣分项")
    if scoring == "deduction" and groups and abs(sum(g.max for g in groups.values()) - 100) > 1e-6:
        raise r.fail(f"{where}.groups", f"各分组满分之和应为 100，实为 {sum(g.max for g in groups.values()):g}")
    return Part(
        veto=veto,
        groups=groups,
        deductions=deductions,
        pass_score=r.value(data, "pass_score", where, 60, float, f"{PART_LABELS[where]}合格线"),
        scoring=scoring,
        bonus_threshold=r.value(data, "bonus_threshold", where, 80, float, f"{PART_LABELS[where]}加分起点"),
        good_threshold=r.value(data, "good_threshold", where, 80, float, f"{PART_LABELS[where]}良好等次线"),
        bonus_max=r.value(data, "bonus_max", where, 0, float, f"{PART_LABELS[where]}加分上限"),
        bonus_portal_only=r.value(data, "bonus_portal_only", where, True, bool),
        no_service_function=nsf,
        privacy_veto_when_serious=r.value(data, "privacy_veto_when_serious", where, True, bool),
        bonus=bonus,
    )


def _warnings(r: _Reader, data: dict[str, Any], threshold_fields: set[str]) -> tuple[WarningRule, ...]:
    raw = data.get("warnings") or []
    if not isinstance(raw, list):
        raise r.fail("warnings", "应为列表")
    out = []
    for i, w in enumerate(raw, 1):
        key = f"warnings[{i}]"
        if not isinstance(w, dict) or not w.get("code") or not w.get("name"):
            raise r.fail(key, "每项应有 name、code 和 thresholds")
        th = w.get("thresholds") or {}
        if not isinstance(th, dict) or not th:
            raise r.fail(key, "thresholds 应为非空映射")
        bad = set(th) - threshold_fields
        if bad:
            raise r.fail(f"{key}.thresholds", f"未知的阈值 {'、'.join(sorted(bad))}")
        if w.get("unconfirmed"):
            r.unconfirmed.append(f"预警“{w['name']}”（{'，'.join(f'{THRESHOLD_LABELS.get(k, k)} {v}' for k, v in th.items())}）")
        out.append(WarningRule(str(w["name"]), str(w["code"]), dict(th), bool(w.get("unconfirmed"))))
    return tuple(out)


@lru_cache(maxsize=32)
def _load(path: Path, mtime: float) -> RuleSet:
    from xuncha.settings import Thresholds

    data = _raw(path)
    r = _Reader(path)
    unknown = set(data) - {"id", "title", "source", "inherits", "website", "media", "warnings", "thresholds", "health"}
    if unknown:
        raise r.fail("顶层", f"未知的键 {'、'.join(sorted(unknown))}")
    if not data.get("id"):
        raise r.fail("id", "缺少规则集标识")
    fields = {f.name for f in dataclasses.fields(Thresholds)}
    thresholds = r.mapping(data, "thresholds", "")
    bad = set(thresholds) - fields
    if bad:
        raise r.fail("thresholds", f"未知的阈值 {'、'.join(sorted(bad))}（可用：{'、'.join(sorted(fields))}）")
    health = {k: float(v) for k, v in r.mapping(data, "health", "").items()}
    website = _part(r, r.mapping(data, "website", ""), "website", "W.")
    media = _part(r, r.mapping(data, "media", ""), "media", "M.")
    warnings = _warnings(r, data, fields)
    return RuleSet(
        id=str(data["id"]),
        title=str(data.get("title", data["id"])),
        source=str(data.get("source", "")),
        path=str(path),
        website=website,
        media=media,
        warnings=warnings,
        thresholds=dict(thresholds),
        health={"veto": 40, "pending": 15, "warning": 5, "inconclusive": 2, "deduct_unscored": 3} | health,
        unconfirmed=tuple(dict.fromkeys(r.unconfirmed)),
        unconfirmed_codes=dict(r.by_code),
    )


def load_ruleset(name_or_path: str | Path | None = None) -> RuleSet:
    """A built-in rule set by id (``national-2019``, ``sichuan-2023``) or a YAML file path."""
    path = _resolve(name_or_path or DEFAULT_RULESET)
    return _load(path.resolve(), path.stat().st_mtime)
