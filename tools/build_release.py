"""Build and check the release artifacts of both generated packages. Nothing is uploaded.

    python tools/build_release.py [--generated generated] [--schemas schemas] [--out dist]
                                  [--only python|typescript]

The logic lives in `generator.publish.build`, which `worker-client-gen publish` runs as its
first pre-flight step; this script is what `nox -s build` calls.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.publish.build import *  # noqa: E402,F401,F403  (the tests use its checks)
from generator.publish.build import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
