"""Login, registration, logout and password change."""
