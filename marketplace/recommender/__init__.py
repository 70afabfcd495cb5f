"""The app's side of matching: profiles from the database, cached embeddings, a fresh matcher."""
