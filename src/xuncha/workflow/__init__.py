"""Workflow: deadlines in working days, rectification, operational registers."""
