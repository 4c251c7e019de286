"""Speed of story grouping on the reference corpus, each figure beside a baseline of the same run.

    python bench/stories_scale.py                        # 100k articles of /tmp/bench/c100k
    python bench/stories_scale.py --corpus DIR --n 20000

The corpus is ../shared/bench/make_corpus.py's (generated when missing, as bench/run.py does;
`apt-get install wfrench` first). Signatures are computed with all cores and cached beside the
corpus (stories_signatures_N.bin) so that a rerun measures grouping only; the per-article time
is measured in one process on a sample.

Figures and their baselines, measured in the same run:
- signature per article, one core; baseline: key figures of the same articles (store.figures),
  the other derived data an import computes;
- grouping the whole library (StoryIndex.from_signatures: bulk load and regrouping); baseline:
  plain sqlite3 executemany of the same articles into an FTS5 table in one transaction, the
  import baseline of bench/run.py; target <= 0.5x;
- adding one article to the index (200 articles not in it); target <= 50 ms;
- related(article), in process; baseline: one FTS5 query `ORDER BY rank LIMIT 20` of the
  article's headline words;
- loading the index from stored signatures and stories, what a new process pays.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import ensure_corpus  # noqa: E402

HELD_OUT = 200


def read_articles(corpus: Path, n: int) -> list[tuple[str, str, str | None]]:
    """The first n + HELD_OUT articles of the corpus: (title, body, ISO date or None)."""
    from store.dates import normalize_date

    articles = []
    with open(corpus / "articles.jsonl", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            articles.append((record["title"], record["body"], normalize_date(record["date"])))
            if len(articles) >= n + HELD_OUT:
                break
    return articles


def _signature_bytes(article: tuple[str, str, str | None]) -> bytes:
    from store.stories import story_signature

    return story_signature(*article).to_bytes()


def signatures(corpus: Path, articles: list[tuple[str, str, str | None]]) -> list:
    """Every article's signature, from the cache beside the corpus or computed on all cores."""
    from store.stories import StorySignature
    from store.stories.signature import SIGNATURE_VERSION

    cache = corpus / f"stories_signatures_v{SIGNATURE_VERSION}b_{len(articles)}.bin"
    if cache.exists():
        blobs = _read_blobs(cache)
    else:
        started = time.perf_counter()
        with multiprocessing.Pool() as pool:
            blobs = pool.map(_signature_bytes, articles, chunksize=500)
        print(f"signatures of {len(articles)} articles on all cores: {_s(started)}")
        _write_blobs(cache, blobs)
    return [StorySignature.from_bytes(blob) for blob in blobs]


def _read_blobs(path: Path) -> list[bytes]:
    data = path.read_bytes()
    blobs, at = [], 0
    while at < len(data):
        size = int.from_bytes(data[at : at + 4], "little")
        blobs.append(data[at + 4 : at + 4 + size])
        at += 4 + size
    return blobs


def _write_blobs(path: Path, blobs: list[bytes]) -> None:
    path.write_bytes(b"".join(len(b).to_bytes(4, "little") + b for b in blobs))


def _s(started: float) -> str:
    return f"{time.perf_counter() - started:.2f} s"


def percentiles(values: list[float]) -> str:
    """Median and 95th percentile, in milliseconds."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def bench_signature(articles: list[tuple[str, str, str | None]], sample: int = 2000) -> None:
    """Signature time per article beside key-figure extraction of the same articles."""
    from store.figures import extract_figures
    from store.stories import story_signature

    chosen = articles[:sample]
    started = time.perf_counter()
    for title, body, published in chosen:
        story_signature(title, body, published)
    ours = (time.perf_counter() - started) / len(chosen)
    started = time.perf_counter()
    for _, body, _ in chosen:
        extract_figures(body)
    figures = (time.perf_counter() - started) / len(chosen)
    print(
        f"signature per article: {ours * 1000:.2f} ms; key figures (baseline): "
        f"{figures * 1000:.2f} ms; ratio {ours / figures:.2f}  ({len(chosen)} articles)"
    )


def fts_baseline(articles: list[tuple[str, str, str | None]]) -> tuple[float, sqlite3.Connection]:
    """Seconds to load the articles into an FTS5 table in one transaction; the connection."""
    handle, path = tempfile.mkstemp(suffix=".db")
    os.close(handle)
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT, body TEXT, published TEXT)"
    )
    connection.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    started = time.perf_counter()
    with connection:
        connection.executemany(
            "INSERT INTO articles (id, title, body, published) VALUES (?, ?, ?, ?)",
            ((i, t, b, p) for i, (t, b, p) in enumerate(articles)),
        )
        connection.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    elapsed = time.perf_counter() - started
    os.unlink(path)
    return elapsed, connection


def headline_query(title: str) -> str:
    """An FTS5 OR query of a headline's words (each quoted)."""
    words = [w for w in re.findall(r"\w+", title) if len(w) > 3]
    return " OR ".join(f'"{w}"' for w in words[:8]) or '"a"'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/bench/c100k"))
    parser.add_argument("--n", type=int, default=100_000, help="articles in the index")
    args = parser.parse_args()
    ensure_corpus(args.corpus, 100_000)

    from store.stories import StoryIndex

    articles = read_articles(args.corpus, args.n)
    n = len(articles) - HELD_OUT
    print(f"# story grouping at {n} articles ({args.corpus})")
    bench_signature(articles)
    sigs = signatures(args.corpus, articles)
    library, held = sigs[:n], sigs[n:]

    baseline, _ = fts_baseline(articles[:n])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    index = StoryIndex.from_signatures(enumerate(library))
    grouping = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024
    sizes = sorted((len(m) for m in index.stories().values()), reverse=True)
    print(
        f"grouping the whole library: {grouping:.2f} s; FTS5 load of the same articles "
        f"(baseline): {baseline:.2f} s; ratio {grouping / baseline:.2f} (target <= 0.5); "
        f"peak memory +{grown:.0f} MiB; {len(sizes)} stories, largest {sizes[:5]}"
    )

    times = []
    for offset, signature in enumerate(held):
        started = time.perf_counter()
        index.add(n + offset, signature)
        times.append(time.perf_counter() - started)
    print(
        f"adding one article to {n}: {percentiles(times)} (target <= 50 ms); "
        f"regrouping everything instead: {grouping * 1000:.0f} ms"
    )

    _, connection = fts_baseline(articles[:n])
    sample = list(range(0, n, max(1, n // HELD_OUT)))[:HELD_OUT]
    ours, theirs = [], []
    for article_id in sample:
        started = time.perf_counter()
        index.related(article_id)
        ours.append(time.perf_counter() - started)
        query = headline_query(articles[article_id][0])
        started = time.perf_counter()
        connection.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT 20",
            (query,),
        ).fetchall()
        theirs.append(time.perf_counter() - started)
    print(
        f"related(article) at {n}, in process: {percentiles(ours)}; FTS5 headline query "
        f"(baseline): {percentiles(theirs)}; ratio of medians "
        f"{statistics.median(ours) / statistics.median(theirs):.3f}"
    )

    assignments = index.assignments()
    blobs = [s.to_bytes() for s in sigs[:n]]
    started = time.perf_counter()
    from store.stories import StorySignature

    StoryIndex.from_signatures(
        ((i, StorySignature.from_bytes(b)) for i, b in enumerate(blobs)), assignments
    )
    print(
        f"loading the index from {n} stored signatures and stories (a new process's cost "
        f"before its first related): {_s(started)}; signatures stored: "
        f"{sum(map(len, blobs)) / n:.0f} bytes per article"
    )


if __name__ == "__main__":
    main()
