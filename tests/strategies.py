"""Hypothesis strategies for scraped-article-like documents."""

from __future__ import annotations

from hypothesis import strategies as st

_words = st.sampled_from(
    "the army city said families Mosul Getty AP Reuters video footage watch show all In pictures "
    "is head of policy at Oxfam 1/22 2/22 22 * # < > [x](y) & _ ` 1. - Maya Mailer".split()
)
sentence = st.lists(_words, min_size=1, max_size=25).map(lambda words: " ".join(words)) | st.text(
    st.characters(blacklist_categories=("Cs",)), max_size=80
)
gallery_item = st.builds(lambda k, n, text, credit: f"{k}/{n} {text}{credit}", st.integers(1, 30), st.integers(1, 30), sentence, st.sampled_from(["", " Getty", " AFP/Getty Images", " (Reuters)"]))
special = st.sampled_from(
    [
        "In pictures: Mosul offensive",
        "22 show all In pictures: Mosul offensive",
        "Isis video purports to show fighting in Mosul",
        "Watch: the moment it happened",
        "Maya Mailer is head of humanitarian policy and campaigns at Oxfam.",
        "",
        "",
        "   ",
    ]
)
line = st.one_of(sentence, gallery_item, special)
document = st.lists(line, max_size=40).map(lambda lines: "\n".join(lines))
