"""Notifications are each person's own: they are not in the admin."""
