"""The canned query library and algorithm jobs (illnet.queries)."""
