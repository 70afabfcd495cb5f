"""Benchmarks printed as tables of ratios measured side by side (`python -m bench`)."""
