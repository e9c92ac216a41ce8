"""Scoring: rule sets as data (``rulesets/*.yaml``), the engine (findings → verdicts) and the
aggregation of verdicts into the figures of a circular."""

from xuncha.scoring.ruleset import DEFAULT_RULESET, RuleSet, available_rulesets, load_ruleset

__all__ = ["DEFAULT_RULESET", "RuleSet", "available_rulesets", "load_ruleset"]
