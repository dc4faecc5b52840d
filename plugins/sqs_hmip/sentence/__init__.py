"""Checks of the sentence area."""
