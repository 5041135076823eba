"""Markdown notes out and back: per-paper documents, the digest, file names and `import markdown`."""
