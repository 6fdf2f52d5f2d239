"""Figures generated at build time."""
