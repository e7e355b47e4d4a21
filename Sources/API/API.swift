// The API module; see docs/architecture.md.
