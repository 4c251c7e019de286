"""Stories: every outlet's report of one event, grouped, and the articles related to one.

How the rest of recoupe uses it (no screens here):

- `story_signature(title, body, published)` once per article text (derived data, keyed by the
  content hash; `StorySignature.to_bytes()` / `from_bytes()` for a BLOB column, about 0.33 kB).
- `StoryIndex.from_signatures(stored, assignments, constraints)` when a process needs
  stories: with the stored story of each article (`assignments()`), nothing is regrouped;
  articles without one are added.
- `index.add(article_id, signature)` at import: the article joins a story or starts one,
  without regrouping (it also merges two stories it bridges, as a regrouping would);
  `index.remove(article_id)` on delete; `index.rebuild()` for `recoupe stories --rebuild`.
- `index.related(article_id)`: the other articles of its story, then those of the nearest
  stories, each with its overlap (cosine of signatures, 0 to 1);
  `index.central_articles(story_id, 10)` for the compare screen.
- Corrections: `move`, `merge`, `split`, `keep_together`, `keep_apart`; each updates
  `index.constraints` (a `StoryConstraints`, `to_json()` to store), which every rebuild and
  every later add obeys: pinned articles keep their story and its id, must-link pairs stay
  together, cannot-link pairs apart.

Method
------
Features (signature.py): word stems (Snowball French stemmer of PyStemmer, accents folded,
the French stop words of `stop-words` left out), names (capitalised words that do not open a
sentence, "@betancourt"), numbers of two digits or more in one spelling ("#2517"); headline
occurrences count three times; weight (1 + ln count) x 1 (0.5 for numbers); the 64 strongest
kept. Similarity (index.py): cosine of the features weighted by ln(1 + N/df) over the index,
times 1 / (1 + (days apart / 14)^2) when both publication dates are known. Grouping
(grouping.py): average link, merging while the average similarity between two groups' members
is at least 0.07; a rebuild links each article to its 40 nearest (sparse products in blocks)
and agglomerates only inside groups that links of 0.07 or more connect; `add` applies the same
criterion to one article. Candidates, and the similarities grouping uses, come from inverted
lists of the features that at most 0.5% of the articles (or 200) hold: rarer features carry
the story; the common ones still count in the norms and in `overlap`.

Figures that decided it (bench/stories_accuracy.py; rpm2-dev: 200 articles, 20 stories,
10 subjects, two stories per subject a month apart, no dates, no outlets):

| grouping | story P / R / F1 | subject F1 |
|---|---|---|
| baseline: TF-IDF, average link, at its best threshold | 0.595 / 0.728 / 0.655 | 0.821 |
| recoupe rebuild, threshold 0.07 (the same for every set) | 0.506 / 0.944 / 0.659 | 0.967 |
| recoupe: 3/4 rebuilt, the last 1/4 added one by one | 0.503 / 0.991 / 0.667 | 0.995 |
| recoupe, dates simulated (README: a month apart) | 1.000 / 0.954 / 0.976 | 0.646 |
| baseline with the same dates and date factor, best threshold | 0.908 / 0.924 / 0.916 | 0.612 |

(Dates simulated: each story's reports over 10 days, the second story from day 30. Over 21
days each, 9 days apart: recoupe 0.964, baseline 0.851.)

With the eval-data articles and the sample corpus mixed in (213 articles, 27 stories): story
F1 0.649, subject F1 0.945 (baseline 0.654 and 0.780).

- The words of an article cannot tell a subject's two stories apart on RPM2, whatever the
  representation: the AUC of similarity between same-story pairs and same-subject,
  other-story pairs was 0.62 for TF-IDF of stems, 0.64 with word pairs, 0.59 names, 0.56
  numbers, 0.60 headline and lead; passages of 8 words shared verbatim occur in 25% of the
  same-story pairs but also in 12% of the others (adding them moved F1 by under 0.02); even
  given the subjects
  and told there are two stories in each, a spectral split reached story F1 0.77 at best,
  and average link with IDF computed inside each subject 0.68. Dates written in the text
  (a day and month in 56% of the articles) gave an AUC of 0.64 and no F1 gain: not used.
  So the text decides the subject (F1 0.967 against 0.821) and the story needs the
  publication date, which real imports usually have: with dates, story F1 0.976.
- 64 features per article: keeping 32, 64, 128, 256 or all of them gave story F1 0.66 to
  0.67, differences within noise, and 64 keep a stored signature near 0.33 kB.
- MinHash LSH (datasketch) was measured as the candidate search and dropped: the Jaccard
  similarity of two same-story feature sets is low (median 0.12, 90th percentile 0.24), so
  LSH with 64 permutations found 2% (16 bands of 4), 10% (21 of 3) or 44% (32 of 2, already
  12 candidates per article at 200 articles) of the same-story pairs; the inverted lists find
  every pair that shares a searched feature.
- Threshold: story F1 0.664 / 0.664 / 0.663 and subject F1 0.983 / 0.950 / 0.925 at 0.06 /
  0.08 / 0.10; dated, 0.985 / 0.976 / 0.906; the date scale: 14 days did best of 7, 14, 21.
- Adding articles one by one agrees with a rebuild at B-cubed F1 0.971 (a rebuilt library
  receiving the last quarter) and 0.926 (all 200 added to an empty index, whose statistics
  are immature at first).

Scale (bench/stories_scale.py, reference corpus, 99 800 articles; two runs on 2 cores shared
with other work, load average 8 to 12, so absolute times are several times the idle machine's):

| what | recoupe | baseline (same run) | ratio |
|---|---|---|---|
| signature, per article | 3.8 / 4.2 ms | key figures of the article: 3.4 / 4.8 ms | 1.12 / 0.87 |
| grouping the whole library | 26.4 / 15.6 s | FTS5 load of the articles: 81 / 53 s | 0.32 / 0.29 |
| adding one article | median 1.3 ms, p95 14 / 13 ms | target 50 ms | |
| related(article), in process | median 1.3 / 1.2 ms, p95 14 ms | FTS5 headline query: 440 ms | |
| loading the index from stored signatures | 21 / 37 s | | |

Peak memory of grouping: +470 MB. A process that answers `recoupe related ID` within 100 ms
cannot load the index first: store each article's `links()` (both directions) and its story at
import, and read those. The synthetic corpus has no real stories (91 000 groups, the largest
of 12): it measures speed only.
"""

from store.stories.index import StoryIndex
from store.stories.models import RelatedArticle, StoryConstraints
from store.stories.signature import StorySignature, story_signature

__all__ = [
    "RelatedArticle",
    "StoryConstraints",
    "StoryIndex",
    "StorySignature",
    "story_signature",
]
