"""worker-client-gen: typed worker-backend clients generated from per-message JSON Schemas."""

__version__ = "0.1.0"
