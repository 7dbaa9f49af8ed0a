"""Reusable UI pieces: app shell, navigation, form fields, crisis help."""
