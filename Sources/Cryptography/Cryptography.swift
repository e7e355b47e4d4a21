// The Cryptography module; see docs/architecture.md.
