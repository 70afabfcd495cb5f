"""AI talent teams: list and profile."""
