"""Corpus input and preparation: reading (corpus), text repair (text), the clean stage's rules (cleaning),
duplicates (dedup) and the train/validation/test split (split)."""
