"""The facts of this catalogue that the runtime needs (rendered by worker-client-gen).

Every other module of the runtime is the same for every catalogue and is copied as it is.
"""

from __future__ import annotations

import re
from typing import Literal

VERSION = "4.2.0"

# Payload fields whose values are never shown: the schemas' secret fields (x-secret or a
# credential-like name), and any key with a credential-like name inside free-form objects.
SECRET_FIELDS = frozenset(
    {
        "accessToken",
        "access_token",
        "apiKey",
        "api_key",
        "api_secret",
        "ciphertext",
        "costPerCompletionToken",
        "costPerPromptToken",
        "credentialUpdate",
        "credentials",
        "etsyCredentials",
        "marketplaceCredentials",
        "newAccessToken",
        "newRefreshToken",
        "passphrase",
        "password",
        "preserveOldToken",
        "privateKey",
        "refreshToken",
        "refresh_token",
        "revokeOldCredentials",
        "secretAccessKey",
        "testNewCredentials",
    }
)
SECRET_NAME = re.compile(
    "(?i)(credentials?|secret|password|passwd|passphrase|api_?key|private_?key|(access|refresh|auth|bearer|api|id|session)?_?token)$"
)

JobState = Literal[
    "waiting",
    "active",
    "completed",
    "failed",
    "delayed",
    "prioritized",
    "waiting-children",
    "unknown",
]
