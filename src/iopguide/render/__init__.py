"""Renderers: each turns an explanation into a string; none writes or prints."""
