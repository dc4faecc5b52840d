"""Checks of the data area."""
