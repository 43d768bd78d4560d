"""Inputs: find the files to check, decode their bytes and read each format into a Document."""
