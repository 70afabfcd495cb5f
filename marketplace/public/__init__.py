"""Landing page, health check and the language switch."""
