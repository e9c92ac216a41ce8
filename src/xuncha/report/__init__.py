"""Reports: findings.jsonl, summary.xlsx, summary.md (circulars come with the scoring room)."""

from xuncha.report.summary import summary_markdown, totals, write_reports

__all__ = ["summary_markdown", "totals", "write_reports"]
