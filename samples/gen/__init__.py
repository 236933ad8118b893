"""Deterministic sample generators for gkcheck's tests (Word reports, photos)."""
