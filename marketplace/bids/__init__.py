"""Bids by AI talent teams."""
