"""Deterministic demo data: organisations, problems, teams, bids, matches, solutions."""
