"""Checks of the child area."""
