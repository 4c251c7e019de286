"""A folder of hostile files for import tests (small here, 500 files in bench/).

Each maker writes one kind of file and says what the import must do with it:
``imported`` (a good file, possibly in an odd encoding) or ``skipped`` (a bad one,
reported in one line). JSONL files mix good and bad lines and say how many of each.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FRENCH = (
    "L’opération menée à Périgueux a permis l’arrestation de {n} personnes, "
    "a précisé le procureur. Les enquêteurs évoquent « une filière très organisée » "
    "et déjà 3,5 millions d’euros saisis.\n"
)


@dataclass(frozen=True, slots=True)
class Expectation:
    """What importing one file must give: articles imported and lines (or files) skipped."""

    name: str
    imported: int
    skipped: int
    contains: str | None = None  # a passage the imported body must hold (decoding check)


Maker = Callable[[Path, str, random.Random], Expectation]


def _text(rng: random.Random, title: str, paragraphs: int = 3) -> str:
    body = "".join(FRENCH.format(n=rng.randrange(100, 99_999)) for _ in range(paragraphs))
    return f"{title}\n\n{body}"


def good_txt(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """A plain UTF-8 article."""
    name = f"{stem}.txt"
    (folder / name).write_text(_text(rng, f"Article {stem}"), encoding="utf-8")
    return Expectation(name, 1, 0, "l’arrestation")


def good_md(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """Markdown with front matter."""
    name = f"{stem}.md"
    front = f"---\ntitle: Note {stem}\noutlet: Le Quotidien\ndate: 2024-03-02\n---\n"
    (folder / name).write_text(front + _text(rng, "")[1:], encoding="utf-8")
    return Expectation(name, 1, 0, "Périgueux")


def good_html(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """A saved web page."""
    name = f"{stem}.html"
    paragraphs = "".join(f"<p>{p}</p>" for p in _text(rng, "").split("\n") if p)
    page = (
        f"<html><head><title>Page {stem}</title></head><body><nav>Accueil</nav>"
        f"<article><h1>Page {stem}</h1>{paragraphs}</article></body></html>"
    )
    (folder / name).write_text(page, encoding="utf-8")
    return Expectation(name, 1, 0, "filière")


def utf16_without_bom(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """UTF-16 little-endian with no byte-order mark."""
    name = f"{stem}-utf16.txt"
    (folder / name).write_bytes(_text(rng, f"Seize {stem}").encode("utf-16-le"))
    return Expectation(name, 1, 0, "l’arrestation")


def latin1(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """Latin-1 (no curly apostrophe in that encoding)."""
    name = f"{stem}-latin1.txt"
    text = _text(rng, f"Été {stem}").replace("’", "'")
    (folder / name).write_bytes(text.encode("latin-1"))
    return Expectation(name, 1, 0, "opération menée à Périgueux")


def truncated_utf8(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """UTF-8 cut in the middle of its last character (a download cut short)."""
    name = f"{stem}-cut.txt"
    data = (_text(rng, f"Coupé {stem}") + "fin à Noël é").encode("utf-8")
    (folder / name).write_bytes(data[:-1])
    return Expectation(name, 1, 0, "fin à Noël")


def binary(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """Random bytes, NULs included."""
    name = f"{stem}-binary.txt"
    (folder / name).write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    return Expectation(name, 0, 1)


def binary_without_nul(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """Random high bytes without NUL: no encoding reads them as text."""
    name = f"{stem}-noise.md"
    (folder / name).write_bytes(bytes(rng.randrange(1, 256) for _ in range(4096)))
    return Expectation(name, 0, 1)


def nul_bytes(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """Text with NUL bytes in the middle: refused as binary, in one line."""
    name = f"{stem}-nul.txt"
    (folder / name).write_bytes(b"Titre\nUn texte \x00\x00 avec des NUL au milieu.\n")
    return Expectation(name, 0, 1)


def empty(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """Blank files."""
    name = f"{stem}-empty.txt"
    (folder / name).write_text("  \n\n ", encoding="utf-8")
    return Expectation(name, 0, 1)


def deeply_nested_html(
    folder: Path, stem: str, rng: random.Random, depth: int = 50_000
) -> Expectation:
    """HTML nested tens of thousands of levels deep around a few words."""
    name = f"{stem}-nested.html"
    page = "<html><body>" + "<div>" * depth + "texte" + "</div>" * depth + "</body></html>"
    (folder / name).write_text(page, encoding="utf-8")
    return Expectation(name, 0, 1)


def jsonl_with_wrong_types(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """JSONL: two good lines among lines of the wrong type, shape or syntax."""
    name = f"{stem}.jsonl"
    good = [
        {"id": f"{stem}-a", "title": f"Ligne {stem} A", "text": _text(rng, "")},
        {"id": f"{stem}-b", "titre": f"Ligne {stem} B", "contenu": _text(rng, "")},
    ]
    bad_lines = [
        json.dumps({"title": 5, "text": "Un texte"}),
        json.dumps({"title": "Liste", "text": ["pas", "une", "chaîne"]}),
        json.dumps({"title": "Sans texte"}),
        json.dumps(["un", "tableau"]),
        "42",
        "null",
        '{"title": "coupé", "text": "sans fin',
        json.dumps({"title": "Date", "text": "Texte", "date": {"y": 2024}}),
    ]
    lines = [json.dumps(good[0], ensure_ascii=False), *bad_lines]
    lines.append(json.dumps(good[1], ensure_ascii=False))
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Expectation(name, 2, len(bad_lines))


def symlink_loop(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """Two links pointing at each other (each is a bad file)."""
    first, second = folder / f"{stem}-loop-a.txt", folder / f"{stem}-loop-b.txt"
    first.symlink_to(second.name)
    second.symlink_to(first.name)
    return Expectation(first.name, 0, 2)


def folder_loop(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """A link to the folder itself: not followed, so no endless walk."""
    (folder / f"{stem}-self").symlink_to(".")
    return Expectation(f"{stem}-self", 0, 0)


def unreadable_even_as_root(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """A link to /proc/self/mem: reading it fails with EIO, whoever runs the import."""
    link = folder / f"{stem}-unreadable.txt"
    link.symlink_to("/proc/self/mem")
    return Expectation(link.name, 0, 1)


def fifo(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """A named pipe: opening it for reading would wait forever for a writer."""
    path = folder / f"{stem}-pipe.txt"
    os.mkfifo(path)
    return Expectation(path.name, 0, 1)


def endless_device(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """A link to /dev/zero: size 0, but reading it never ends."""
    link = folder / f"{stem}-zero.txt"
    link.symlink_to("/dev/zero")
    return Expectation(link.name, 0, 1)


def too_large_sparse(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """A 50 MB file (sparse: costs no disk), over the size limit."""
    name = f"{stem}-huge.txt"
    with open(folder / name, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    return Expectation(name, 0, 1)


def hostile_name(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """An empty file whose name holds a newline and an escape sequence (OSC retitle)."""
    name = f"{stem}-new\nline\x1b]0;PWNED\x07.txt"
    (folder / name).write_bytes(b"")
    return Expectation(name, 0, 1)


def single_line(folder: Path, stem: str, rng: random.Random, chars: int = 200_000) -> Expectation:
    """One line of `chars` characters, no newline anywhere."""
    name = f"{stem}-oneline.txt"
    unit = "la préfecture recense 2 500 victimes et 1,2 million d’euros, "
    text = (f"Ligne {stem} : " + unit * (chars // len(unit) + 1))[:chars]  # unique per file
    (folder / name).write_text(text, encoding="utf-8")
    return Expectation(name, 1, 0, "préfecture recense")


def markup_text(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """An article full of Rich markup and terminal escapes: imported, escapes removed."""
    name = f"{stem}-markup.txt"
    text = (
        f"[bold red]Titre {stem}[/] \x1b]0;PWNED\x07\n\n"
        "Le texte [link=https://evil.example]cliquez[/link] \x1b[2J\x1b[31mrouge\x1b[0m "
        "et \u202edroite\u202c avec\u200b zéro largeur, 2 517 personnes.\n"
    )
    (folder / name).write_text(text, encoding="utf-8")
    return Expectation(name, 1, 0, "[link=https://evil.example]cliquez[/link]")


def odd_digits(folder: Path, stem: str, rng: random.Random) -> Expectation:
    """Superscript and circled digits where numbers are expected ('² sur dix', '① sur deux')."""
    name = f"{stem}-digits.txt"
    text = (
        f"Chiffres {stem}\n\nUn habitant ² sur dix a voté ; soit ① sur deux, "
        "12 m² et 10³ tonnes, un sur ², ٣ victimes.\n"
    )
    (folder / name).write_text(text, encoding="utf-8")
    return Expectation(name, 1, 0, "① sur deux")


MAKERS: tuple[Maker, ...] = (
    good_txt,
    good_md,
    good_html,
    utf16_without_bom,
    latin1,
    truncated_utf8,
    binary,
    binary_without_nul,
    nul_bytes,
    empty,
    deeply_nested_html,
    jsonl_with_wrong_types,
    symlink_loop,
    folder_loop,
    unreadable_even_as_root,
    fifo,
    endless_device,
    too_large_sparse,
    hostile_name,
    single_line,
    markup_text,
    odd_digits,
)


def make_hostile_folder(
    folder: Path, copies: int = 1, seed: int = 6, makers: tuple[Maker, ...] = MAKERS
) -> list[Expectation]:
    """Write `copies` files of every kind into `folder`; return what each must give."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    expectations: list[Expectation] = []
    for copy in range(copies):
        for maker in makers:
            expectations.append(maker(folder, f"f{copy:03d}-{maker.__name__}", rng))
    return expectations
