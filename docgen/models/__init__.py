"""Typed models of the workspace files (field names are the user's vocabulary)."""
