"""Promotion-centre staff pages."""
