"""Rules about Terraform plan inputs (issue 14): values known only after apply. Owned by the Terraform helper."""
from __future__ import annotations
