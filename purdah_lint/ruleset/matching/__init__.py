"""Matching machinery: regex anchors, the prefilter, phrase patterns, sentences and syllables."""
