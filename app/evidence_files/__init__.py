"""Evidence files: what is accepted (checks) and where the bytes are kept (storage). Plain Python, no Flask."""

from .checks import DEFAULT_MAX_BYTES, Refused, accepted
from .storage import FolderStorage, S3Storage, Storage

__all__ = ["DEFAULT_MAX_BYTES", "FolderStorage", "Refused", "S3Storage", "Storage", "accepted"]
