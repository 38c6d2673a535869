"""tiercheck: partner-program tiers as policy-as-code."""

__version__ = "0.1.0"
