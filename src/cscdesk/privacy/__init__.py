"""Data protection outputs: subject access packs and the audit export (no Qt)."""
