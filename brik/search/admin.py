"""The search tokens have no admin: they are keyed hashes, meaningless to read."""
