"""People, organisations and places named by articles, grouped across the compared articles."""

from store.names.folding import fold_name
from store.names.grouping import NameCell, NameGroup, group_names
from store.names.mentions import NameMention, find_names, find_names_in_texts, spread_names
from store.names.model import ModelUnavailable, load_model

__all__ = [
    "ModelUnavailable",
    "NameCell",
    "NameGroup",
    "NameMention",
    "find_names",
    "find_names_in_texts",
    "fold_name",
    "group_names",
    "load_model",
    "spread_names",
]
