"""vestnik: ingestion, Russian-morphology search and facts for cooperation news."""

__version__ = "0.1.0"
