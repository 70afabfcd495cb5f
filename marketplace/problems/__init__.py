"""Published problems: list and detail."""
