"""Features shared by the models: shallow per-line features (lines) and hashed n-gram TF-IDF (hashing)."""
