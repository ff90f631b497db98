"""`worker-client-gen` with one piece of the speed layer taken out, for bench/ablation.py:

    python bench/ablated.py PIECE [worker-client-gen arguments]

PIECE is one of PIECES below (or `none`). The piece is replaced by what remembers nothing
(generator.run's null objects), so the run renders the same output by the same code, only
without that piece's help. Bench code only: the generator itself has no such switch.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator import pipeline, run  # noqa: E402
from generator.speed import layer  # noqa: E402

# Piece tables by the kind they keep (generator/*: *_KIND), and the other pieces.
TABLES = {
    "black-pieces": "python-black-pieces",
    "json-pieces": "json-pieces",
    "yaml-pieces": "openapi-yaml-pieces",
}
PIECES = [
    *TABLES,
    "parsed",  # parsed schema files, by their bytes
    "output",  # the digests of a whole output (check / generate with nothing changed)
    "fragments",  # {% remember %} blocks
    "bytecode",  # compiled templates
    "memo",  # watch: what targets made of each IR object
    "held",  # watch: tables held in memory between saves
    "reload",  # watch: the incremental reload of the schema folder
]


def ablate(piece: str) -> None:
    speed = layer.CacheSpeed
    if piece in TABLES:
        kind, pieces = TABLES[piece], speed.pieces

        def no_table(self: Any, k: str, name: str | None) -> run.Pieces:
            return run.NoPieces() if k == kind else pieces(self, k, name)

        speed.pieces = no_table  # type: ignore[method-assign]
    elif piece in ("parsed", "output"):
        recall, store = speed.recall, speed.store
        speed.recall = lambda self, k, *key: None if k == piece else recall(self, k, *key)  # type: ignore[method-assign]
        speed.store = lambda self, k, v, *key: None if k == piece else store(self, k, v, *key)  # type: ignore[method-assign]
    elif piece == "fragments":
        speed.blocks = lambda self, template: run.NoBlocks()  # type: ignore[method-assign]
    elif piece == "bytecode":
        speed.bytecode_cache = lambda self: None  # type: ignore[method-assign]
    elif piece == "memo":
        init = layer.HeldSpeed.__init__

        def no_memo(self: Any, root: Path | None) -> None:
            init(self, root)
            self._memo = run.NoMemo()

        layer.HeldSpeed.__init__ = no_memo  # type: ignore[method-assign]
        layer.HeldSpeed.forget = lambda self: self.cache.forget()  # type: ignore[method-assign]
    elif piece == "held":
        from generator.speed.held import HeldCache
        from generator.speed.store import Cache

        # Every get reads the disk again, every put writes it at once.
        HeldCache.get = Cache.get  # type: ignore[method-assign]
        HeldCache.put = Cache.put  # type: ignore[method-assign]
    elif piece == "reload":
        render_folder = pipeline.render_folder

        def fresh(*args: Any, **kwargs: Any) -> pipeline.Rendered:
            kwargs.pop("previous", None)
            return render_folder(*args[:5], **kwargs)

        pipeline.render_folder = fresh
    elif piece != "none":
        raise SystemExit(f"unknown piece {piece!r}; one of: none, {', '.join(PIECES)}")


if __name__ == "__main__":
    ablate(sys.argv[1])
    from generator.cli import main

    sys.argv = ["worker-client-gen", *sys.argv[2:]]
    main()
