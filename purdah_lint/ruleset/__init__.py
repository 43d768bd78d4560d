"""Rule set: rule packs and their cache, rule-file validation, codes, categories, selection, rule types."""
