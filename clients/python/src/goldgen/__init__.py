"""goldgen for Python: read golden datasets and fixtures from a goldgen server (verified,
cached, pinned in goldgen.lock), and compare a model's predictions with the expected outputs.

>>> from goldgen import Client
>>> from goldgen.testing import assert_matches_golden
"""

from .client import Client, Dataset, Table
from .compare import Comparison, compare_rows
from .errors import GoldgenError
from .fixtures import Fixture

__all__ = ["Client", "Comparison", "Dataset", "Fixture", "GoldgenError", "Table", "compare_rows"]
__version__ = "0.1.0"
