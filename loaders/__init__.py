"""Readers, validation, the writer and the synthetic generator (illnet.loaders)."""
