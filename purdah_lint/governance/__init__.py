"""Governance: waivers and their sign-off, baselines, finding fingerprints and changed lines."""
