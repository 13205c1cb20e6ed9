"""newssift: clean scraped news articles, split editorial text from boilerplate, classify topics.

Inference::

    from newssift import load_pipeline
    pipe = load_pipeline("models/", model="tfidf")   # or model="transformer"
    result = pipe.predict(raw_text)
"""
__version__ = "0.1.0"

__all__ = ["__version__", "load_pipeline", "clean_text"]


def __getattr__(name):  # lazy: importing newssift must not import torch or scikit-learn
    if name == "load_pipeline":
        from newssift.inference import load_pipeline

        return load_pipeline
    if name == "clean_text":
        from newssift.data.text import clean_text

        return clean_text
    raise AttributeError(f"module 'newssift' has no attribute {name!r}")
