"""The model families (tfidf, transformer/), the threshold tuner, HMM smoothing and the registry that maps model
folders to loaded models."""
