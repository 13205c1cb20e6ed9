"""newssift: clean scraped news articles, split editorial text from boilerplate, classify topics."""
__version__ = "0.1.0"
