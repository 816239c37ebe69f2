"""Fake external services that speak real protocols over real sockets, for tests."""
