"""Tests that read the built book in a real browser (chromium via playwright)."""
