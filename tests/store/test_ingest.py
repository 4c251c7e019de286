"""Import of files and folders: formats, metadata, normalisation, re-import, bad files."""

from __future__ import annotations

import json
import os
import shutil
import unicodedata
from pathlib import Path

import pytest

import store.ingest.importer as ingest
from store.db import Library
from store.ingest.importer import import_paths, import_text
from store.library.articles import count_articles, get_article
from store.search import search
from tests.conftest import SAMPLE_CORPUS, article_id_by_path, derive_all

HTML_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Interpol : 2 517 arrestations lors de l'opération Liberterra II - Le Quotidien</title>
<meta property="og:title" content="Interpol : 2 517 arrestations lors de l'opération Liberterra II">
<meta property="og:site_name" content="Le Quotidien">
<link rel="canonical" href="https://www.lequotidien.example/monde/interpol-liberterra">
<meta property="article:published_time" content="2024-11-06T10:30:00+01:00">
</head><body>
<header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/monde">Monde</a></li>
<li><a href="/sport">Sport</a></li>
<li><a href="/abonnement">Abonnez-vous</a></li></ul></nav></header>
<main><article>
<h1>Interpol : 2 517 arrestations lors de l'opération Liberterra II</h1>
<p>Interpol a annoncé mercredi sa plus grande opération contre le trafic d'êtres humains à ce
jour, qui a permis d'arrêter plus de 2 500 personnes et de secourir plus de 3 000 victimes.</p>
<p>L'opération s'est déroulée dans 116 pays et territoires entre le 29 septembre et le 4 octobre,
a indiqué dans un communiqué l'organisation internationale de police criminelle.</p>
<p class="related"><a href="/autre">Lire aussi : La police démantèle un réseau de passeurs</a></p>
<p>Au total, 2 517 arrestations ont été effectuées au cours de la semaine, dont 850 concernaient
spécifiquement le trafic d'êtres humains ou de migrants, a ajouté Interpol.</p>
<p>Aux Philippines, des policiers ont perquisitionné un entrepôt où plus de 250 personnes se
livraient à des arnaques aux sentiments à l'échelle industrielle.</p>
</article></main>
<aside><h2>Les plus lus</h2><ul><li><a href="/a">Un fait divers sans rapport</a></li>
<li><a href="/b">Météo : orages sur le Sud-Ouest</a></li></ul></aside>
<footer><p>© Le Quotidien 2024 — Mentions légales — Contact</p></footer>
</body></html>
"""


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def only_article(db: Library):
    rows = db.execute("SELECT id FROM articles").fetchall()
    assert len(rows) == 1
    return get_article(db, rows[0][0])


def fts_is_consistent(db: Library) -> bool:
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
    return True


# --------------------------------------------------------------------------- formats


def test_sample_corpus_imports_with_its_metadata(sample_db: Library) -> None:
    le_monde = get_article(
        sample_db, article_id_by_path(sample_db, "le-monde-interpol-liberterra-ii.txt")
    )
    assert le_monde.outlet == "Le Monde"
    assert le_monde.title.startswith("plus de 2 500 arrestations")
    depeche = get_article(
        sample_db, article_id_by_path(sample_db, "depeche-interpol-liberterra-ii.txt")
    )
    assert depeche.outlet is None  # unknown stays empty
    assert depeche.lang == "fr"


def test_txt_without_front_matter_takes_its_first_line_as_title(db, tmp_path: Path) -> None:
    write(
        tmp_path / "a.txt", "Le titre de l'article\n\nPremier paragraphe.\n\nSecond paragraphe.\n"
    )
    report = import_paths(db, [tmp_path / "a.txt"])
    assert report.imported == 1
    article = only_article(db)
    assert article.title == "Le titre de l'article"
    assert article.body == "Premier paragraphe.\n\nSecond paragraphe."
    assert article.outlet is None and article.published is None


def test_txt_front_matter_gives_the_metadata(db, tmp_path: Path) -> None:
    write(
        tmp_path / "a.txt",
        "---\ntitre: Un titre\nsource: Libération\ndate: 06/11/2024\n"
        "url: https://example.org/a\nlang: fr\n---\nLe corps du texte.\n",
    )
    import_paths(db, [tmp_path])
    article = only_article(db)
    assert (article.title, article.outlet, article.published, article.url, article.lang) == (
        "Un titre",
        "Libération",
        "2024-11-06",
        "https://example.org/a",
        "fr",
    )
    assert article.body == "Le corps du texte."


@pytest.mark.parametrize(
    ("byline", "date"),
    [("Sud Ouest — 2017-06-06", "2017-06-06"), ("Sud Ouest — mercredi 6 juin 2017", "2017-06-06")],
)
def test_txt_byline_gives_outlet_and_date(db, tmp_path: Path, byline: str, date: str) -> None:
    write(
        tmp_path / "a.txt", f"Chômage : un taux de 7,2 %\n\n{byline}\n\nAu total, 2966 chômeurs.\n"
    )
    import_paths(db, [tmp_path])
    article = only_article(db)
    assert (article.title, article.outlet, article.published) == (
        "Chômage : un taux de 7,2 %",
        "Sud Ouest",
        date,
    )
    assert article.body == "Au total, 2966 chômeurs."


def test_a_dash_line_that_is_not_a_byline_stays_in_the_body(db, tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Titre\n\nLe match — un résumé\n\nSuite.\n")
    import_paths(db, [tmp_path])
    article = only_article(db)
    assert article.outlet is None
    assert article.body.startswith("Le match — un résumé")


def test_md_with_front_matter(db, tmp_path: Path) -> None:
    write(
        tmp_path / "a.md",
        '---\ntitle: "Le titre"\noutlet: Mediapart\npublished: 2024-11-06\n---\n\n'
        "# Un intertitre\n\nLe texte.\n",
    )
    import_paths(db, [tmp_path])
    article = only_article(db)
    assert (article.title, article.outlet, article.published) == (
        "Le titre",
        "Mediapart",
        "2024-11-06",
    )
    assert "Le texte." in article.body


def test_md_without_front_matter_takes_the_first_heading(db, tmp_path: Path) -> None:
    write(tmp_path / "a.md", "# Le titre\n\nLe texte.\n")
    import_paths(db, [tmp_path])
    article = only_article(db)
    assert article.title == "Le titre"
    assert article.body == "Le texte."


def test_html_main_text_and_metadata_are_extracted(db, tmp_path: Path) -> None:
    write(tmp_path / "page.html", HTML_PAGE)
    report = import_paths(db, [tmp_path])
    assert report.imported == 1, report.outcomes
    article = only_article(db)
    assert article.title == "Interpol : 2 517 arrestations lors de l'opération Liberterra II"
    assert article.outlet == "Le Quotidien"
    assert article.published == "2024-11-06"
    assert article.url == "https://www.lequotidien.example/monde/interpol-liberterra"
    assert "Au total, 2 517 arrestations" in article.body
    assert "Philippines" in article.body
    for boilerplate in (
        "Lire aussi",
        "passeurs",
        "Accueil",
        "Abonnez-vous",
        "Les plus lus",
        "Météo",
        "Mentions légales",
    ):
        assert boilerplate not in article.body, boilerplate


def test_htm_suffix_is_html_too(db, tmp_path: Path) -> None:
    write(tmp_path / "page.HTM", HTML_PAGE)
    assert import_paths(db, [tmp_path]).imported == 1


def test_jsonl_one_article_per_line_with_field_aliases(db, tmp_path: Path) -> None:
    lines = [
        {
            "id": "a1",
            "title": "Premier",
            "text": "Texte un.",
            "outlet": "AFP",
            "date": "2024-11-06",
            "url": "https://ex.org/1",
        },
        {
            "titre": "Deuxième",
            "body": "Texte deux.",
            "source": "Reuters",
            "published": "2024-11-07",
        },
        {
            "headline": "Troisième",
            "content": "Texte trois.",
            "sitename": "Le Monde",
            "pubdate": "7/11/2024",
            "link": "https://ex.org/3",
        },
    ]
    write(tmp_path / "a.jsonl", "\n".join(json.dumps(line, ensure_ascii=False) for line in lines))
    report = import_paths(db, [tmp_path])
    assert report.imported == 3
    rows = db.execute(
        "SELECT title, body, outlet, published, url FROM articles ORDER BY id"
    ).fetchall()
    assert rows == [
        ("Premier", "Texte un.", "AFP", "2024-11-06", "https://ex.org/1"),
        ("Deuxième", "Texte deux.", "Reuters", "2024-11-07", None),
        ("Troisième", "Texte trois.", "Le Monde", "2024-11-07", "https://ex.org/3"),
    ]


def test_unknown_file_types_in_a_folder_are_ignored_but_reported_when_named(db, tmp_path) -> None:
    write(tmp_path / "notes.docx", b"PK\x03\x04")
    write(tmp_path / "a.txt", "Titre\n\nTexte.")
    assert import_paths(db, [tmp_path]).outcomes[0].status == "imported"
    report = import_paths(db, [tmp_path / "notes.docx", tmp_path / "missing.txt"])
    reasons = {Path(o.path).name: o.reason for o in report.skipped}
    assert "not an article file type" in reasons["notes.docx"]
    assert reasons["missing.txt"] == "no such file or folder"


def test_folders_are_imported_recursively(db, tmp_path: Path) -> None:
    write(tmp_path / "a" / "b" / "c.txt", "Titre c\n\nTexte c.")
    write(tmp_path / "a" / "d.md", "# Titre d\n\nTexte d.")
    write(tmp_path / ".cache" / "e.txt", "Caché\n\nNe pas importer.")
    report = import_paths(db, [tmp_path])
    assert report.imported == 2
    assert count_articles(db) == 2


def test_a_folder_walk_takes_files_by_their_suffix_whatever_its_case(tmp_path: Path) -> None:
    from store.library.parsing import iter_article_files

    names = ["a.txt", "b.TXT", "c.txt.", ".hidden.txt", "d.markdown", "e", "txt", "f.tar.md"]
    names += ["g.jsonl.bak", "h.Html", "i..htm", "j.txt~"]
    for name in names:
        write(tmp_path / "sub" / name, "Titre\n\nTexte.")
    found = [Path(path) for path in iter_article_files([tmp_path])]
    assert [path.name for path in found] == [
        "a.txt",
        "b.TXT",
        "d.markdown",
        "f.tar.md",
        "h.Html",
        "i..htm",
    ]
    assert all(path.parent == tmp_path / "sub" for path in found)


# --------------------------------------------------------------------------- normalisation


def test_text_is_normalised_on_import(db, tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Opération à Zürich")
    write(
        tmp_path / "a.txt",
        f"Titre \x1b]0;piège\x07propre\r\n\r\n{nfd}\x1b[31m rouge\x1b[0m\r\n"
        "ligne\x07 deux\x08\u202e\r\n",
    )
    import_paths(db, [tmp_path])
    article = only_article(db)
    assert article.title == "Titre propre"
    assert article.body == "Opération à Zürich rouge\nligne deux"
    assert unicodedata.is_normalized("NFC", article.body)


def test_utf16_without_bom_and_latin1_are_decoded(db, tmp_path: Path) -> None:
    write(tmp_path / "utf16.txt", "Titre seize\n\nOpération à Zürich.".encode("utf-16-le"))
    write(tmp_path / "latin1.txt", "Titre latin\n\nÉté brûlant à Noël, créée.".encode("latin-1"))
    write(tmp_path / "bom.txt", "Titre BOM\n\nDéjà vu.".encode("utf-8-sig"))
    report = import_paths(db, [tmp_path])
    assert report.imported == 3, report.outcomes
    bodies = {row[0]: row[1] for row in db.execute("SELECT title, body FROM articles")}
    assert bodies == {
        "Titre seize": "Opération à Zürich.",
        "Titre latin": "Été brûlant à Noël, créée.",
        "Titre BOM": "Déjà vu.",
    }


# --------------------------------------------------------------------------- re-import


def test_reimporting_identical_content_changes_nothing(sample_db, tmp_path: Path) -> None:
    before = sample_db.execute("SELECT id, updated_at, content_hash FROM articles").fetchall()
    report = import_paths(sample_db, [SAMPLE_CORPUS])
    assert (report.imported, report.updated, report.unchanged, len(report.skipped)) == (0, 0, 3, 0)
    assert report.summary() == "0 imported, 0 updated, 3 unchanged, 0 skipped"
    assert (
        sample_db.execute("SELECT id, updated_at, content_hash FROM articles").fetchall() == before
    )


def test_the_content_hash_keeps_the_spelling_older_databases_stored(db, tmp_path: Path) -> None:
    """Re-imports compare with hashes stored by earlier versions: the digest is SHA-256
    of the fields' text joined by NUL, however it is computed now."""
    import hashlib

    (tmp_path / "a.txt").write_text("Titre\n\nCorps de l\u2019article, 2\u202f517 arrestations.\n")
    import_paths(db, [tmp_path])
    row = db.execute("SELECT title, body, outlet, published, url, lang, content_hash FROM articles")
    *fields, stored = row.fetchone()
    expected = hashlib.sha256("\x00".join(f or "" for f in fields).encode("utf-8")).hexdigest()
    assert stored == expected


def test_a_changed_file_updates_its_article_in_place(db, tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Titre\n\nLes gendarmes ont saisi 12 kilos.")
    first = import_paths(db, [tmp_path]).outcomes[0]
    write(path, "Titre corrigé\n\nLes douaniers ont saisi 15 kilos.")
    second = import_paths(db, [tmp_path]).outcomes[0]
    assert (first.status, second.status) == ("imported", "updated")
    assert second.article_id == first.article_id
    article = only_article(db)
    assert (article.title, article.body) == ("Titre corrigé", "Les douaniers ont saisi 15 kilos.")
    assert search(db, "gendarmes") == [] and search(db, "12") == []
    assert [h.article_id for h in search(db, "douaniers 15")] == [first.article_id]
    assert fts_is_consistent(db)


def test_a_changed_copy_with_the_same_url_updates_the_article(db, tmp_path: Path) -> None:
    page = HTML_PAGE
    write(tmp_path / "v1" / "page.html", page)
    first = import_paths(db, [tmp_path / "v1"]).outcomes[0]
    write(tmp_path / "v2" / "saved-again.html", page.replace("250 personnes", "300 personnes"))
    second = import_paths(db, [tmp_path / "v2"]).outcomes[0]
    assert second.status == "updated"
    assert second.article_id == first.article_id
    assert count_articles(db) == 1
    assert "300 personnes" in only_article(db).body


def test_a_changed_jsonl_line_updates_only_its_article(db, tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    write(
        path,
        '{"id": 1, "title": "Un", "text": "Alpha."}\n{"id": 2, "title": "Deux", "text": "Beta."}\n',
    )
    import_paths(db, [path])
    write(
        path,
        '{"id": 1, "title": "Un", "text": "Alpha."}\n'
        '{"id": 2, "title": "Deux", "text": "Gamma."}\n',
    )
    report = import_paths(db, [path])
    assert [o.status for o in report.outcomes] == ["unchanged", "updated"]
    assert count_articles(db) == 2


def test_every_outcome_is_counted(db, tmp_path: Path) -> None:
    write(tmp_path / "same.txt", "Même\n\nTexte inchangé.")
    write(tmp_path / "changed.txt", "Change\n\nVersion un.")
    import_paths(db, [tmp_path])
    write(tmp_path / "changed.txt", "Change\n\nVersion deux.")
    write(tmp_path / "new.txt", "Nouveau\n\nArticle neuf.")
    write(tmp_path / "empty.txt", "")
    report = import_paths(db, [tmp_path])
    assert (report.imported, report.updated, report.unchanged, len(report.skipped)) == (1, 1, 1, 1)
    assert report.summary() == "1 imported, 1 updated, 1 unchanged, 1 skipped"


# --------------------------------------------------------------------------- bad files


def test_bad_files_are_reported_one_line_each_and_the_rest_imports(db, tmp_path: Path) -> None:
    write(tmp_path / "good.txt", "Bon article\n\nTexte lisible.")
    write(tmp_path / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20)
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "blank.md", "  \n\n  ")
    write(tmp_path / "undecodable.txt", bytes(range(128, 256)) * 4)
    write(tmp_path / "nothing.html", "<html><body><nav><a href='/'>Accueil</a></nav></body></html>")
    write(
        tmp_path / "lines.jsonl",
        '{"title": "Ligne un", "text": "Premier."}\n{"title": "cassée", "text": \n'
        '[1, 2]\n{"title": "Ligne quatre", "text": "Quatrième."}\n{"title": "sans texte"}\n',
    )
    report = import_paths(db, [tmp_path])

    assert report.imported == 3
    titles = {row[0] for row in db.execute("SELECT title FROM articles")}
    assert titles == {"Bon article", "Ligne un", "Ligne quatre"}
    reasons = {Path(o.path).name: o.reason for o in report.skipped}
    assert reasons["binary.txt"].startswith("binary file")
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.md"] == "empty file"
    assert reasons["undecodable.txt"].startswith("undecodable")
    assert "no article text" in reasons["nothing.html"]
    assert "malformed JSON" in reasons["lines.jsonl:2"]
    assert "expected a JSON object" in reasons["lines.jsonl:3"]
    assert "no 'text' or 'body'" in reasons["lines.jsonl:5"]
    assert len(report.skipped) == 8
    for outcome in report.skipped:
        assert outcome.reason and "\n" not in outcome.reason


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads a chmod 000 file")
def test_an_unreadable_file_is_reported(db, tmp_path: Path) -> None:
    write(tmp_path / "good.txt", "Bon\n\nTexte.")
    locked = write(tmp_path / "locked.txt", "Secret\n\nTexte.")
    locked.chmod(0)
    try:
        report = import_paths(db, [tmp_path])
    finally:
        locked.chmod(0o644)
    assert report.imported == 1
    assert [(Path(o.path).name, o.reason) for o in report.skipped] == [
        ("locked.txt", "unreadable (permission denied)")
    ]


def test_a_file_that_fails_while_reading_is_reported(db, tmp_path: Path, monkeypatch) -> None:
    """Same as chmod 000 for root, who can read anything: the read itself fails."""
    write(tmp_path / "good.txt", "Bon\n\nTexte.")
    write(tmp_path / "locked.txt", "Secret\n\nTexte.")
    real_open = os.open

    def open_file(path, flags, *args, **kwargs) -> int:
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_file)
    report = import_paths(db, [tmp_path])
    assert report.imported == 1
    assert [(Path(o.path).name, o.reason) for o in report.skipped] == [
        ("locked.txt", "unreadable (permission denied)")
    ]


def test_nothing_half_written_when_writing_fails(db, tmp_path: Path, monkeypatch) -> None:
    for number in range(5):
        write(tmp_path / f"{number}.txt", f"Titre {number}\n\nTexte numéro {number}.")
    calls = []

    def failing_hook(database, written) -> None:
        calls.append(written)
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest, "reanchor_notes", failing_hook)
    with pytest.raises(RuntimeError):
        import_paths(db, [tmp_path])
    assert count_articles(db) == 0
    assert db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 0
    assert search(db, "numéro") == []
    assert not db.conn.in_transaction
    monkeypatch.undo()
    assert import_paths(db, [tmp_path]).imported == 5
    assert fts_is_consistent(db)


def test_progress_is_reported_per_file(db, tmp_path: Path) -> None:
    for number in range(3):
        write(tmp_path / f"{number}.txt", f"Titre {number}\n\nTexte {number}.")
    seen: list[tuple[int, int]] = []
    import_paths(db, [tmp_path], on_progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (3, 3)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


# --------------------------------------------------------------------------- FTS in sync


def test_fts_index_follows_insert_update_and_delete(db) -> None:
    outcome = import_text(db, "Le préfet de Lyon a parlé.", source_key="k", title="Préfecture")
    assert [h.article_id for h in search(db, "prefet")] == [outcome.article_id]
    import_text(db, "Le maire de Lyon a parlé.", source_key="k", title="Mairie")
    assert search(db, "prefet") == [] and search(db, "prefecture") == []
    assert [h.article_id for h in search(db, "maire")] == [outcome.article_id]
    from store.library.articles import delete_article

    delete_article(db, outcome.article_id)
    assert search(db, "maire") == []
    assert db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 0
    assert fts_is_consistent(db)


def test_a_bulk_import_keeps_the_index_consistent(db, tmp_path: Path) -> None:
    for number in range(30):
        write(
            tmp_path / f"{number:02d}.txt", f"Titre {number}\n\nTexte {number} sur la préfecture."
        )
    import_paths(db, [tmp_path])
    assert fts_is_consistent(db)
    assert len(search(db, "prefecture", limit=100)) == 30
    # The insert trigger is still there for single writes after a bulk load.
    outcome = import_text(db, "Un texte sur la sous-préfecture.", source_key="single")
    assert outcome.article_id in [h.article_id for h in search(db, "sous-préfecture")]
    assert fts_is_consistent(db)


def test_a_bulk_batch_bumps_the_search_write_counter_and_keeps_its_triggers(
    db, tmp_path: Path
) -> None:
    """A large batch does its insert triggers' work once: the index and the write counter."""
    generation = "SELECT value FROM search_generation WHERE id = 1"
    import_text(db, "Un texte sur la préfecture.", source_key="first")
    before = db.execute(generation).fetchone()[0]
    for number in range(60):
        write(tmp_path / f"{number:02d}.txt", f"Titre {number}\n\nTexte {number}, préfecture.")
    assert import_paths(db, [tmp_path]).imported == 60
    assert db.execute(generation).fetchone()[0] > before  # kept rankings are stale
    assert len(search(db, "prefecture", limit=100)) == 61
    assert fts_is_consistent(db)
    triggers = {
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles'"
        )
    }
    assert {"articles_ai", "search_generation_ai"} <= triggers
    after_bulk = db.execute(generation).fetchone()[0]
    import_text(db, "Encore la préfecture.", source_key="last")
    assert db.execute(generation).fetchone()[0] == after_bulk + 1


def test_sample_corpus_copy_with_other_paths_is_not_duplicated(sample_db, tmp_path: Path) -> None:
    shutil.copytree(SAMPLE_CORPUS, tmp_path / "copy")
    report = import_paths(sample_db, [tmp_path / "copy"])
    assert report.unchanged == 3
    assert count_articles(sample_db) == 3


def ids_of(hits) -> set[int]:
    return {hit.article_id for hit in hits}


def test_parsing_in_worker_processes_gives_the_same_library(tmp_path: Path) -> None:
    from store.db.sqlite import connect

    for number in range(40):
        write(
            tmp_path / "corpus" / f"{number:02d}.txt",
            f"Titre {number}\n\nAu total, {number}\u202f517 arrestations et {number},5 % "
            "de hausse — « opération » à Göteborg.",
        )
    write(tmp_path / "corpus" / "empty.txt", b"")
    rows, figures = [], []
    for workers in (1, 2):
        database = connect(tmp_path / f"w{workers}.db")
        report = import_paths(database, [tmp_path / "corpus"], workers=workers)
        assert (report.imported, len(report.skipped)) == (40, 1)
        rows.append(database.execute("SELECT id, title, body FROM articles").fetchall())
        # Key figures computed in the workers are those computed in process.
        derive_all(database)
        figures.append(
            database.execute("SELECT * FROM figure_values ORDER BY article_id, n").fetchall()
        )
        again = import_paths(database, [tmp_path / "corpus"], workers=workers)
        assert again.unchanged == 40
        # Bodies sent by the workers as UTF-8 are stored as text, and indexed as such.
        assert database.execute("SELECT DISTINCT typeof(body) FROM articles").fetchall() == [
            ("text",)
        ]
        assert len(search(database, "operation goteborg", limit=50)) == 40
        database.close()
    assert rows[0] == rows[1]
    assert figures[0] == figures[1]
    assert len(figures[0]) >= 80


def test_an_article_updated_by_a_worker_import_keeps_text_and_index(tmp_path: Path) -> None:
    from store.db.sqlite import connect

    for number in range(30):
        write(tmp_path / "corpus" / f"{number:02d}.txt", f"Titre {number}\n\nPremière dépêche.")
    database = connect(tmp_path / "w.db")
    import_paths(database, [tmp_path / "corpus"], workers=2)
    write(tmp_path / "corpus" / "07.txt", "Titre 7\n\nDépêche corrigée à Zürich.")
    report = import_paths(database, [tmp_path / "corpus"], workers=2)
    assert (report.updated, report.unchanged) == (1, 29)
    body, kind = database.execute(
        "SELECT body, typeof(body) FROM articles WHERE title = 'Titre 7'"
    ).fetchone()
    assert (body, kind) == ("Dépêche corrigée à Zürich.", "text")
    assert [hit.title for hit in search(database, "zurich corrigee")] == ["Titre 7"]
    assert len(search(database, "premiere depeche", limit=50)) == 29
    database.close()


def test_a_worker_import_pauses_the_cyclic_gc_and_restores_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from store.db.sqlite import connect

    for number in range(20):
        write(tmp_path / "corpus" / f"{number:02d}.txt", f"Titre {number}\n\nTexte {number}.")
    seen: list[bool] = []
    original = ingest.write_articles

    def recording(db, articles):
        seen.append(gc.isenabled())
        return original(db, articles)

    monkeypatch.setattr(ingest, "write_articles", recording)
    database = connect(tmp_path / "w.db")
    assert gc.isenabled()
    assert import_paths(database, [tmp_path / "corpus"], workers=2).imported == 20
    assert seen and not any(seen)
    assert gc.isenabled()
    database.close()


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities here")
def test_workers_yield_the_cpu_to_the_writer(db) -> None:
    workers = ingest._Workers(2, db)
    try:
        niceness = workers.pool.submit(os.nice, 0).result()
    finally:
        workers.close()
    assert niceness == min(os.nice(0) + ingest.WORKER_NICENESS, 19)


def test_duplicates_inside_one_import_are_written_once(db, tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Même titre\n\nMême texte.")
    write(tmp_path / "copie.txt", "Même titre\n\nMême texte.")
    write(
        tmp_path / "lines.jsonl",
        '{"id": 7, "title": "V", "text": "Première version."}\n'
        '{"id": 7, "title": "V", "text": "Seconde version."}\n',
    )
    report = import_paths(db, [tmp_path])
    assert [o.status for o in report.outcomes] == ["imported", "unchanged", "imported", "updated"]
    assert count_articles(db) == 2
    bodies = {row[0] for row in db.execute("SELECT body FROM articles")}
    assert bodies == {"Même texte.", "Seconde version."}
    assert fts_is_consistent(db)
    assert search(db, "première") == []


def test_the_sample_corpus_loads_into_an_empty_library_only(db, tmp_path: Path) -> None:
    from store.ingest.sample import load_sample_if_empty

    report = load_sample_if_empty(db)
    assert report is not None and report.imported == 3
    assert load_sample_if_empty(db) is None
    assert count_articles(db) == 3


def test_the_sample_corpus_does_not_load_into_a_library_with_articles(db) -> None:
    from store.ingest.sample import load_sample_if_empty

    import_text(db, "Un article à soi.", source_key="mine")
    assert load_sample_if_empty(db) is None
    assert count_articles(db) == 1
