"""Importing articles into the library: files and folders, and the sample corpus."""

from store.ingest.importer import ProgressCallback, import_paths, import_text
from store.ingest.sample import load_sample_if_empty

__all__ = ["ProgressCallback", "import_paths", "import_text", "load_sample_if_empty"]
