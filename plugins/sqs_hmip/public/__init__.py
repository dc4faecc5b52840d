"""Checks of the public area."""
