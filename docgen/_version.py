"""docgen's version: a leaf every module may import (the package's face imports the API)."""

__version__ = "0.1.0"
