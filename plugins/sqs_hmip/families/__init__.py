"""Shared, parametrised implementations behind several checks."""
