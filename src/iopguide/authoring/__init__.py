"""Tools for people who write rule sets: check, lint, run cases, diff."""
