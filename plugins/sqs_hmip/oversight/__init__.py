"""Checks of the oversight area."""
