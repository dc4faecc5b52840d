"""Checks of the reoffending area."""
