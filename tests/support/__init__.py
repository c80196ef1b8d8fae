"""Shared helpers for the tests (a package, so test modules never import each other)."""
