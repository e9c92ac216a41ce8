"""Reports: findings.jsonl, summary.xlsx, summary.md after every run; the circular (.docx), its
annexes (.xlsx) and charts, the per-unit rectification notice and the self-inspection report,
scored under a rule set from the stored findings (``report.data``)."""

from xuncha.report.summary import summary_markdown, totals, write_reports

__all__ = ["summary_markdown", "totals", "write_reports"]
