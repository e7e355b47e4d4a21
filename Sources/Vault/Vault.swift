// The Vault module; see docs/architecture.md.
