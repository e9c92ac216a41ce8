"""Text matchers shared by extraction and checks (names, codes; lexicons come later)."""
