"""Annotations: notes on passages, their anchors in the text, tags, export and import."""

from store.annotations.anchoring import AmbiguousQuote, reanchor_article
from store.annotations.export import (
    OutputExists,
    export_annotations,
    import_annotations,
    suggest_export_path,
    write_export,
)
from store.annotations.notes import (
    annotate_quote,
    count_annotations,
    create_annotation,
    delete_annotation,
    get_annotation,
    list_annotations,
    move_annotation,
    restore_annotation,
    update_annotation,
)
from store.annotations.tags import (
    clean_tag,
    delete_tag,
    list_tags,
    merge_tags,
    rename_tag,
    split_tags,
    suggest_tags,
)

__all__ = [
    "AmbiguousQuote",
    "OutputExists",
    "annotate_quote",
    "clean_tag",
    "count_annotations",
    "create_annotation",
    "delete_annotation",
    "delete_tag",
    "export_annotations",
    "get_annotation",
    "import_annotations",
    "list_annotations",
    "list_tags",
    "merge_tags",
    "move_annotation",
    "reanchor_article",
    "rename_tag",
    "restore_annotation",
    "split_tags",
    "suggest_export_path",
    "suggest_tags",
    "update_annotation",
    "write_export",
]
