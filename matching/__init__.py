"""Matching engine: embedder, vector and lexical indexes, taxonomy, ranking, assignment.

A pure library: nothing here imports Flask, and nothing runs or loads at import time.
"""
