"""What the clients never show: secret field names, and the one marker that replaces a secret."""

from __future__ import annotations

import re

# Credential-like names are secret even without x-secret (see schemas/README.md).
SECRET_NAME_RE = re.compile(
    r"(?i)(credentials?|secret|password|passwd|passphrase|api_?key|private_?key|"
    r"(access|refresh|auth|bearer|api|id|session)?_?token)$"
)
REDACTED = "[REDACTED]"
# Shorter secret values are not removed from text: they would garble every message they
# happen to occur in (a secret field's value is masked whatever its length).
MIN_SECRET_LENGTH = 4
