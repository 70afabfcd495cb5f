"""Evaluation sets: the held-out-items development set made from a set's own profiles."""
from __future__ import annotations

from matching import datasets
from matching.profiles import Profile, ProfileItem


def _set():
    shared = "why does my phone battery drain overnight [battery, power]"
    profiles = [
        Profile(id="a", items=[ProfileItem("0", shared), ProfileItem("1", "root a pixel phone [root]")]),
        Profile(id="b", items=[ProfileItem("0", shared), ProfileItem("1", "adb over wifi [adb]")]),
        Profile(id="c", items=[ProfileItem("0", "backup sms messages [backup, sms]")]),
    ]
    return datasets.EvalSet("toy", [], profiles, {}, None, {})


def test_every_distinct_item_is_asked_once_of_the_profiles_without_it():
    folds = datasets.held_out_items(_set(), folds=2)
    queries = [q for fold in folds for q in fold.queries]
    assert len(queries) == 4                                       # four distinct texts
    for fold in folds:
        held = {q.text for q in fold.queries}
        for profile in fold.profiles:
            assert not any(item.text.split(" [")[0] in held for item in profile.items)
        for q in fold.queries:
            relevant = set(fold.qrels[str(q.id)])
            if q.text.startswith("why does my phone"):
                assert relevant == {"a", "b"}
            else:
                assert len(relevant) == 1
            assert "[" not in q.text                               # the tag list is not asked


def test_profiles_left_with_nothing_drop_out_and_the_source_set_is_untouched():
    source = _set()
    folds = datasets.held_out_items(source, folds=1)
    assert folds[0].profiles == []                                 # one fold holds every text out
    assert [len(p.items) for p in source.profiles] == [2, 2, 1]
