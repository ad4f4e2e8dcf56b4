"""strongSwan interop suite: our rules checked against real IKE negotiations (see docs/architecture.md)."""
