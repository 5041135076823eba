"""The data layer: settings, records, the store and the arXiv client. No UI here."""
