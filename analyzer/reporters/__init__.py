"""Reporters only format findings; they never decide anything."""
