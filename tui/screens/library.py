"""The library: every article in a sortable list, and a live search over them."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input
from textual.worker import get_current_worker

from store.errors import QueryError, SearchCancelled
from store.library import SortKey, outlets
from store.models import ArticleSummary, ImportReport, SearchHit
from tui.data import (
    LibraryPages,
    import_sample_if_empty,
    read_first_page,
    read_library_order,
)
from tui.db_access import LibraryDatabase
from tui.library_host import library_database
from tui.messages import (
    LibraryChanged,
    MarkToggled,
    OpenArticle,
    RowsShown,
    SearchRequested,
    SortRequested,
)
from tui.widgets.article_list import PAGE_SIZE, ArticleList
from tui.widgets.key_bar import KeyBar
from tui.widgets.search_box import SearchBox
from tui.widgets.search_results import SearchResults
from tui.widgets.title_bar import TitleBar

SEARCH_LIMIT = 100
SORT_ORDER: tuple[SortKey, ...] = ("published", "title", "outlet", "figures", "annotations")
SORT_NAMES = {
    "published": "date",
    "title": "title",
    "outlet": "outlet",
    "figures": "number of figures",
    "annotations": "number of annotations",
}


class LibraryScreen(Screen[None]):
    """The article list with the search box above it."""

    TITLE = "recoupe"
    AUTO_FOCUS = "#articles"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search"),
        Binding("escape", "leave_search", "Back to list", show=False),
        Binding("c", "compare", "Compare marked"),
        Binding("ctrl+f", "toggle_filters", "Filters"),
        Binding("s", "next_sort", "Sort"),
        Binding("r", "reverse_sort", "Reverse"),
        Binding("x", "clear_marks", "Unmark all", show=False),
        Binding("f5,ctrl+r", "refresh", "Refresh", show=False),
    ]
    HELP_SECTION: ClassVar[str] = "Library"
    HELP_PARTS: ClassVar[tuple[type, ...]] = (ArticleList, SearchResults, SearchBox)
    HELP_EXTRA: ClassVar[list[tuple[str, str]]] = [
        ("tab / shift+tab", "Move between the search box, filters and the list")
    ]

    def __init__(self) -> None:
        super().__init__()
        self.marked: list[int] = []
        self.sort: SortKey = "published"
        self.descending = True
        self._search_generation = 0
        self._rest_to_load: tuple[LibraryPages, SortKey, bool, bool] | None = None
        self._opening: Future[tuple[ImportReport | None, LibraryPages, list[ArticleSummary]]]
        self._opening = Future()
        self._start_opening()
        self.searching = False
        self._focus_results_when_done = False

    @property
    def database(self) -> LibraryDatabase:
        """The library's database, held by the app."""
        return library_database(self)

    def compose(self) -> ComposeResult:
        """Search box on top, then the list or the search results, then the footer."""
        yield TitleBar()
        yield SearchBox(id="search-box")
        with ContentSwitcher(initial="articles", id="library-body"):
            yield ArticleList(id="articles")
            # SearchResults joins on the first search: the first screen does without it.
        yield KeyBar()

    def on_mount(self) -> None:
        """Load the library (importing the sample corpus into an empty one) off the UI thread."""
        self.load_library()
        if hasattr(self.app, "derived_generation"):  # figure counts fill in as they are derived
            self.watch(self.app, "derived_generation", self._counts_changed, init=False)

    def _counts_changed(self, _generation: int) -> None:
        self.query_one(ArticleList).refresh_rows()

    # -- loading ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="library-load", exit_on_error=False)
    def load_library(self, *, first_launch: bool = True) -> None:
        """Show the first page as soon as it is read, then read the whole order and the outlets."""
        database = self.database
        sort, descending = self.sort, self.descending
        try:
            if first_launch:
                report, pages, first = self._opening.result()
            else:
                report = None
                pages, first = read_first_page(database, sort, descending, PAGE_SIZE)
        except Exception as exc:  # no traceback on screen: a notification says what failed
            self.app.call_from_thread(
                self.notify, f"cannot open the library: {exc}", severity="error", timeout=10
            )
            return
        # Outlets are read again each time: an import may have brought new ones.
        self.app.call_from_thread(self._show_library, pages, first, sort, descending, True)
        if report is not None:
            self.app.post_message(LibraryChanged())
            self.app.call_from_thread(
                self.notify,
                f"Empty library: imported the sample corpus ({report.summary()}).",
                title="Welcome",
            )

    def _start_opening(self) -> None:
        """Read the first page while the screen is being built (it is what the reader waits for)."""
        database = self.database
        sort, descending = self.sort, self.descending

        def open_library() -> None:
            try:
                report = import_sample_if_empty(database)
                pages, first = read_first_page(database, sort, descending, PAGE_SIZE)
            except BaseException as exc:
                self._opening.set_exception(exc)
                return
            self._opening.set_result((report, pages, first))

        threading.Thread(target=open_library, name="recoupe-open", daemon=True).start()

    def _show_library(
        self,
        pages: LibraryPages,
        first: list[ArticleSummary],
        sort: SortKey,
        descending: bool,
        with_outlets: bool,
    ) -> None:
        if (sort, descending) != (self.sort, self.descending):
            return  # the order changed again while this one loaded
        article_list = self.query_one(ArticleList)
        article_list.set_source(pages, len(pages), first, sort=sort, descending=descending)
        article_list.set_marked(frozenset(self.marked))
        self._update_subtitle()
        # The rest of the order (and the outlets) is read once the first page is on screen.
        self._rest_to_load = (pages, sort, descending, with_outlets)
        if not len(pages):
            self._first_page_shown()  # an empty list draws no row to wait for

    @on(RowsShown)
    def _first_page_shown(self) -> None:
        if self._rest_to_load is not None:
            rest, self._rest_to_load = self._rest_to_load, None
            self.load_rest(*rest)

    @work(thread=True, group="library-rest", exit_on_error=False)
    def load_rest(
        self, pages: LibraryPages, sort: SortKey, descending: bool, with_outlets: bool
    ) -> None:
        """Read every id in the list's order, then the outlets for the filter."""
        try:
            read_library_order(pages, sort, descending)
            if with_outlets:
                with self.database.read() as reader:
                    names = outlets(reader)
                self.app.call_from_thread(self.query_one(SearchBox).set_outlets, names)
        except Exception as exc:  # no traceback on screen
            self.app.call_from_thread(
                self.notify, f"cannot read the library: {exc}", severity="error", timeout=10
            )

    def _update_subtitle(self) -> None:
        total = self.query_one(ArticleList).total
        parts = [f"{total} articles", f"sorted by {SORT_NAMES[self.sort]}"]
        if self.marked:
            parts.append(f"{len(self.marked)} marked")
        self.sub_title = " · ".join(parts)

    def on_screen_resume(self) -> None:
        """Back from reading or comparing: the annotation counts shown may have changed."""
        self.query_one(ArticleList).refresh_rows()

    def reload(self) -> None:
        """Read the library again (after an import or a change of sort)."""
        self.load_library(first_launch=False)

    def action_refresh(self) -> None:
        """Read the library again: shows what another recoupe (an import) added meanwhile."""
        self.reload()

    # -- search -----------------------------------------------------------------------

    @on(SearchRequested)
    def _search_requested(self, request: SearchRequested) -> None:
        self._search_generation += 1
        box = self.query_one(SearchBox)
        if request.is_empty:
            self.workers.cancel_group(self, "search")  # a search still running is moot
            self._show_list()
            box.set_status("")
            return
        if request.query.strip().casefold() == "c" and len(self.marked) >= 2:
            # A "c" meant as Compare, typed while the box had the focus: say so, do not search.
            hint = (
                f"“c” went into the search box: Esc, then c compares the {len(self.marked)} marked"
            )
            box.set_status(hint, error=True)
            self.notify(hint, severity="warning")
            return
        box.set_status("searching…")
        self.run_search(request, self._search_generation)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, request: SearchRequested, generation: int) -> None:
        """Run one search in a thread; a newer search cancels this one.

        The worker group is exclusive: starting the next search cancels this worker,
        which sets its `cancelled_event`; the store's search checks that event while
        SQLite runs, so this one stops at once and frees the reader connection for the
        next (a costly query no longer holds up the ones typed after it).
        """
        from store.search import query_notices, search  # not needed for the first screen

        worker = get_current_worker()
        try:
            with self.database.search_reader() as db:
                if generation != self._search_generation or worker.is_cancelled:
                    return  # typing went on while this one waited for the database
                hits = search(
                    db,
                    request.query,
                    limit=SEARCH_LIMIT,
                    outlet=request.outlet,
                    since=request.since,
                    until=request.until,
                    advanced=request.advanced,
                    cancel=worker.cancelled_event,
                )
        except SearchCancelled:
            return  # a newer search took over, or the app is quitting
        except QueryError as exc:
            self.app.call_from_thread(self._search_failed, generation, str(exc))
            return
        except Exception as exc:
            self.app.call_from_thread(self._search_failed, generation, f"search failed: {exc}")
            return
        if not worker.is_cancelled:
            notices = query_notices(request.query, advanced=request.advanced)
            self.app.call_from_thread(self._search_done, generation, request, hits, notices)

    def _search_done(
        self,
        generation: int,
        request: SearchRequested,
        hits: list[SearchHit],
        notices: tuple[str, ...] = (),
    ) -> None:
        if generation != self._search_generation:
            return
        if not self.query(SearchResults):
            switcher = self.query_one(ContentSwitcher)
            switcher.mount(SearchResults(id="results"))
            self.call_after_refresh(self._search_done, generation, request, hits, notices)
            return
        results = self.query_one(SearchResults)
        results.set_marked(frozenset(self.marked))
        results.show_hits(hits, request.query, request.advanced)
        self.query_one(ContentSwitcher).current = "results"
        self.searching = True
        if self._focus_results_when_done:
            self._focus_results_when_done = False
            results.focus()
        count = len(hits)
        more = "+" if count >= SEARCH_LIMIT else ""
        mode = "advanced" if request.advanced else "words"
        self.query_one(SearchBox).set_status(
            (
                f"{count}{more} result{'s' if count != 1 else ''} ({mode})"
                if hits
                else f"no article matches ({mode})"
            )
            + _filters_note(request)
            + "".join(f"; {notice}" for notice in notices)
        )

    def _search_failed(self, generation: int, message: str) -> None:
        if generation != self._search_generation:
            return
        self.query_one(SearchBox).set_status(message, error=True)
        self.notify(message, severity="error", timeout=6)

    def _show_list(self) -> None:
        self.searching = False
        self.query_one(ContentSwitcher).current = "articles"

    # -- reacting to the widgets ------------------------------------------------------

    @on(Input.Submitted, "#query")
    def _query_submitted(self) -> None:
        # Enter in the query goes to the results, where Enter opens one.
        if self.searching:
            self.query_one(SearchResults).focus()
        else:
            self._focus_results_when_done = True

    @on(OpenArticle)
    def _open_article(self, message: OpenArticle) -> None:
        from tui.screens.reading import ReadingScreen

        self.app.push_screen(ReadingScreen(message.article_id, message.query, message.advanced))

    @on(SortRequested)
    def _sort_requested(self, message: SortRequested) -> None:
        # Clicking the heading the list is sorted by reverses it.
        if message.key == self.sort:
            self.action_reverse_sort()
        else:
            self.action_sort_by(message.key)

    @on(MarkToggled)
    def _toggle_mark(self, message: MarkToggled) -> None:
        if message.article_id in self.marked:
            self.marked.remove(message.article_id)
        else:
            self.marked.append(message.article_id)
        self._refresh_marks()

    def _refresh_marks(self) -> None:
        marked = frozenset(self.marked)
        self.query_one(ArticleList).set_marked(marked)
        for results in self.query(SearchResults):
            results.set_marked(marked)
        self._update_subtitle()

    # -- actions ----------------------------------------------------------------------

    def action_focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one(SearchBox).query_input.focus()

    def action_leave_search(self) -> None:
        """From the search box go to the results; from the results, back to the whole list."""
        box = self.query_one(SearchBox)
        if box.has_focus_within:
            self.query_one(SearchResults if self.searching else ArticleList).focus()
        elif self.searching:
            box.query_input.value = ""
            self._search_generation += 1
            box.set_status("")
            self._show_list()
            self.query_one(ArticleList).focus()

    async def action_toggle_filters(self) -> None:
        """Show or hide the outlet and date filters of the search."""
        box = self.query_one(SearchBox)
        await box.show_filters(not box.filters_shown)
        if not box.filters_shown:
            self.query_one(SearchResults if self.searching else ArticleList).focus()

    def action_compare(self) -> None:
        """Compare the marked articles side by side."""
        # A Space typed just before may still be on its way here as a MarkToggled message:
        # decide once the messages already queued have been handled.
        self.call_later(self._open_compare)

    def _open_compare(self) -> None:
        if len(self.marked) < 2:
            self.notify("Mark at least two articles with Space, then press c.", severity="warning")
            return
        from tui.screens.compare import CompareScreen

        self.app.push_screen(CompareScreen(list(self.marked)))

    def action_clear_marks(self) -> None:
        """Unmark every article."""
        self.marked.clear()
        self._refresh_marks()

    def action_sort_by(self, key: str) -> None:
        """Sort the list by `key` (title, outlet, published, figures, annotations)."""
        if key not in SORT_NAMES:
            return
        self.sort = cast(SortKey, key)
        self.descending = key in ("published", "figures", "annotations")
        self._show_list()
        self.reload()

    def action_next_sort(self) -> None:
        """Sort by the next column: date, title, outlet, figures, annotations."""
        index = SORT_ORDER.index(self.sort) if self.sort in SORT_ORDER else -1
        self.action_sort_by(SORT_ORDER[(index + 1) % len(SORT_ORDER)])

    def action_reverse_sort(self) -> None:
        """Reverse the order of the list."""
        self.descending = not self.descending
        self._show_list()
        self.reload()


def _filters_note(request: SearchRequested) -> str:
    """What the filters restrict, for the status line (they apply even when hidden)."""
    parts = []
    if request.outlet:
        parts.append(f"outlet {request.outlet}")
    if request.since:
        parts.append(f"from {request.since}")
    if request.until:
        parts.append(f"to {request.until}")
    return f" · filtered: {', '.join(parts)}" if parts else ""
