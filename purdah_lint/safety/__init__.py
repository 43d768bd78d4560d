"""Handling what users supply, for every stage: YAML read with bounded cost, their text shown safely, outputs written atomically and never over an input."""
