"""The rule engine: the knowledge base's rules compiled into durable-rules and run one assessment at a time."""

from pathlib import Path

from ..knowledge.loader import load_knowledge_base as _load
from ..knowledge.model import KnowledgeBase
from .evaluate import Evaluation, Firing, Reason, evaluate, forget_programs
from .limits import check_engine_limits

__all__ = ["Evaluation", "Firing", "Reason", "evaluate", "forget_programs", "load_knowledge_base"]


def load_knowledge_base(root: str | Path) -> KnowledgeBase:
    """The one way to load a knowledge base: schemas, cross-references and the engine's limits, all checked."""
    return _load(root, extra_checks=(check_engine_limits,))
