"""The benchmark's modules are imported as `bench.*` from the repository root (it is not an
installed package; `make bench` runs it with `python -m bench.run` from the root)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
