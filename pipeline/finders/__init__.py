"""Finders: pure functions from cleaned text to matches, one module per kind of value.

They know nothing of spaCy; :mod:`pipeline.analyse` wraps them as spaCy components.
"""
