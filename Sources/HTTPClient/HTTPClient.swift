// The HTTPClient module; see docs/architecture.md.
