"""The rule engine: the knowledge base's rules compiled into durable-rules and run one assessment at a time."""

from pathlib import Path

from ..knowledge.loader import read_knowledge_base
from ..knowledge.model import KnowledgeBase
from .evaluate import Evaluation, Firing, Reason, evaluate, forget_programs
from .limits import check_engine_limits

__all__ = ["Evaluation", "Firing", "Reason", "evaluate", "forget_programs", "load_knowledge_base"]


_loaded: dict[tuple, KnowledgeBase] = {}


def load_knowledge_base(root: str | Path) -> KnowledgeBase:
    """The one way to load a knowledge base: schemas, cross-references and the engine's limits, all checked.

    Loading is a pure function of the files, so an unchanged directory (same files, sizes and modification times)
    is not read and checked again: every app created in one process (tests, workers) shares the result."""
    root = Path(root)
    key = (str(root.resolve()), _fingerprint(root))
    if key not in _loaded:
        _loaded[key] = read_knowledge_base(root, extra_checks=(check_engine_limits,))
    return _loaded[key]


def _fingerprint(root: Path) -> tuple:
    files = [p for folder in ("rules", "questionnaires") for p in sorted((root / folder).rglob("*")) if p.is_file()]
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
