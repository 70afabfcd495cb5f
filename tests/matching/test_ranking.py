"""Hybrid ranking: Chinese problems meet English profiles, several texts per team, explanations."""
from __future__ import annotations

import numpy as np
import pytest

from matching.lexical import LexicalIndex
from matching.profiles import Profile, ProfileItem, Query, bridge
from matching.ranking import Matcher
from matching.scoring import Weights, group_topk, topk_aggregate
from matching.taxonomy import default as taxonomy
from matching.text import language, tokenize


def _profiles():
    return [
        Profile(id="vision-en", sectors={"smart_machinery"}, items=[
            ProfileItem("s", "We build defect detection for metal parts with object detection and AOI."),
            ProfileItem("p1", "Scratch and burr inspection on a fastener line cut escapes from 3% to 0.4%.",
                        title="Fastener inspection"),
            ProfileItem("p2", "Surface defect classification for aluminium die casting.", title="Die casting")]),
        Profile(id="farm-zh", sectors={"new_agriculture"}, items=[
            ProfileItem("s", "我們專做魚塭水質預測與投餌最佳化，使用感測器資料與時間序列預測。"),
            ProfileItem("p1", "為屏東石斑魚場建置溶氧預警，缺氧死亡率下降 40%。", title="溶氧預警")]),
        Profile(id="energy-en", sectors={"green_energy"}, items=[
            ProfileItem("s", "Solar PV power forecasting and battery state of health analytics."),
            ProfileItem("p1", "Day-ahead PV forecasting for a 20 MW plant, error below 6%.", title="PV forecast")]),
    ]


def test_tokenizer_handles_chinese_bigrams_and_english_stems():
    assert tokenize("瑕疵檢測") == ["瑕疵", "疵檢", "檢測"]
    assert tokenize("Inspecting scratches") == ["inspect", "scratch"]
    assert language("螺絲外觀檢查") == "zh-TW" and language("screw inspection") == "en"


def test_bridge_gives_chinese_text_english_names_and_both_to_bm25():
    dense, lexical = bridge("螺絲表面瑕疵檢測", taxonomy())
    assert "Defect" in dense and "螺絲" not in dense
    assert "瑕疵檢測" in lexical and "Defect" in lexical


def test_a_chinese_problem_finds_the_english_vision_team(embedder):
    matcher = Matcher(embedder).fit(_profiles())
    text = "螺絲外觀瑕疵自動檢測\n產線人工目檢漏檢率高，想用影像自動挑出刮傷與毛邊。"
    query = Query(id="q", title="螺絲外觀瑕疵自動檢測", text=text, sector="smart_machinery")
    ranked = matcher.rank(query, k=3)
    assert ranked[0].id == "vision-en"
    top = ranked[0]
    assert "defect_detection" in top.shared_tags and top.same_sector
    assert top.best_item in {"s", "p1", "p2"} and top.components["dense"] > 0


def test_an_english_problem_finds_the_chinese_aquaculture_team(embedder):
    matcher = Matcher(embedder).fit(_profiles())
    ranked = matcher.rank(Query(id="q", title="Fish pond water quality",
                                text="Fish pond water quality forecasting to prevent low dissolved oxygen."), k=3)
    assert ranked[0].id == "farm-zh"


def test_teams_with_several_relevant_texts_beat_a_single_lucky_match():
    assert topk_aggregate(np.array([0.8, 0.7, 0.6])) > topk_aggregate(np.array([0.85, 0.1]))
    assert topk_aggregate(np.array([])) == 0.0


def test_deeper_aggregation_counts_more_items_on_the_items_scale():
    values = np.array([0.5, 0.9, 0.7, 0.6])
    assert topk_aggregate(values, 1) == 0.9                       # depth 1 is the best item
    assert topk_aggregate(values, 3) == pytest.approx((0.9 + 0.7 / 2 + 0.6 / 3) / (1 + 1 / 2 + 1 / 3))
    assert topk_aggregate(np.full(5, 0.7), 5) == pytest.approx(0.7)   # equal items keep their score
    # A fourth relevant text counts at depth 5, not at depth 3.
    assert topk_aggregate(values, 5) > topk_aggregate(values[:3], 5)
    assert topk_aggregate(values, 3) == topk_aggregate(np.array([0.9, 0.7, 0.6]), 3)
    groups = np.array([1, 0, 1, 1, 0])
    scores = np.array([0.2, 0.9, 0.4, 0.8, 0.1])
    grouped = group_topk(scores, groups, 2, 3)
    assert grouped[0] == pytest.approx(topk_aggregate(np.array([0.9, 0.1]), 3))
    assert grouped[1] == pytest.approx(topk_aggregate(np.array([0.2, 0.4, 0.8]), 3))


def test_a_team_without_capacity_is_pushed_down(embedder):
    profiles = _profiles()
    profiles[0].capacity_left = 0
    matcher = Matcher(embedder, Weights(full_capacity=0.1)).fit(profiles)
    query = Query(id="q", text="Defect detection of metal parts with object detection")
    full = [m for m in matcher.rank(query, k=3) if m.id == "vision-en"][0]
    profiles[0].capacity_left = 2
    free = [m for m in Matcher(embedder, Weights(full_capacity=0.1)).fit(profiles).rank(query, k=3)
            if m.id == "vision-en"][0]
    assert full.score < free.score


def test_excluded_profiles_are_left_out(embedder):
    matcher = Matcher(embedder).fit(_profiles())
    ranked = matcher.rank(Query(id="q", text="solar forecasting"), k=3, exclude={"energy-en"})
    assert "energy-en" not in [m.id for m in ranked]


def test_lexical_scores_are_comparable_across_query_lengths():
    index = LexicalIndex().build([1, 2], ["CNC spindle vibration analysis", "fish pond water quality"])
    short, long = index.scores("spindle", normalise=True), index.scores("spindle vibration cnc", normalise=True)
    assert 0 < short[0] <= 1 and 0 < long[0] <= 1 and short[1] == long[1] == 0
    zh = LexicalIndex().build([1, 2], ["工具機主軸振動分析", "魚塭水質預測"])
    assert zh.search("主軸振動", 1)[0][0] == 1


def test_coverage_is_the_share_of_typed_words_a_text_holds():
    index = LexicalIndex().build([1, 2, 3], ["CNC spindle vibration analysis", "魚塭水質預測", "石斑魚池缺氧"])
    assert index.coverage("spindle noise").tolist() == [0.5, 0.0, 0.0]
    assert index.coverage("水質預測").tolist() == [0.0, 1.0, 0.0]       # bigrams 水質 質預 預測
    assert index.coverage("魚").tolist() == [0.0, 1.0, 1.0]             # one character, inside bigrams
    assert index.coverage("").tolist() == [0.0, 0.0, 0.0]


def test_the_best_item_is_a_project_when_one_is_near(embedder):
    team = Profile(id="t", items=[ProfileItem("about", "Defect detection and visual inspection for factories."),
                                  ProfileItem("p1", "Scratch detection on a screw line.", title="Screw scratches")])
    match = Matcher(embedder).fit([team]).rank(Query(id="q", text="defect detection on screws"), k=1)[0]
    assert match.best_item == "p1" and match.best_item_title == "Screw scratches"
    assert 0 < match.best_item_similarity <= 1


def test_shared_skills_include_one_step_broader_or_narrower(embedder):
    team = Profile(id="t", tags={"time_series_forecasting", "aquaculture"},
                   items=[ProfileItem("about", "Time series forecasting for farms.")])
    match = Matcher(embedder).fit([team]).rank(Query(id="q", text="bakery demand", tags={"demand_forecasting"}), k=1)[0]
    assert match.shared_tags == ["time_series_forecasting"]          # the parent of demand forecasting
    problem = Profile(id="p", tags={"demand_forecasting", "retail"}, items=[ProfileItem("t", "bread demand")])
    match = Matcher(embedder).fit([problem]).rank(Query(id="q", text="x", tags={"time_series_forecasting"}), k=1)[0]
    assert match.shared_tags == ["demand_forecasting"]               # a child of the team's skill


def test_name_coverage_reads_profile_names(embedder):
    profiles = [Profile(id=1, name="門市來客數預測", items=[ProfileItem("t", "門市來客數預測與排班")]),
                Profile(id=2, name="Fish pond oxygen", items=[ProfileItem("t", "魚塭溶氧預測")])]
    matcher = Matcher(embedder).fit(profiles)
    assert matcher.name_coverage("預測").tolist() == [1.0, 0.0]
    assert matcher.name_coverage("fish ponds").tolist() == [0.0, 1.0]     # stemmed
    assert matcher.name_coverage("客").tolist() == [1.0, 0.0]             # one character
    assert matcher.name_coverage("").tolist() == [0.0, 0.0]


def test_a_profiles_indexed_vectors_come_back_with_its_items(embedder):
    profiles = [Profile(id="a", items=[ProfileItem("x", "solar forecasting"), ProfileItem("y", "fish ponds")]),
                Profile(id="b", items=[ProfileItem("z", "defect detection", vector_id=70)])]
    vectors = np.eye(3, 384, dtype=np.float32)
    matcher = Matcher(embedder).fit(profiles, item_vectors=vectors)
    items, found = matcher.vectors("a")
    assert [i.key for i in items] == ["x", "y"] and np.allclose(found, vectors[:2])
    items, found = matcher.vectors("b")
    assert [i.key for i in items] == ["z"] and np.allclose(found, vectors[2:])
    assert matcher.vectors("missing")[0] == [] and len(matcher.vectors("missing")[1]) == 0


def test_a_matcher_with_no_profiles_answers_nothing(embedder):
    from matching.lexical import LexicalIndex

    assert LexicalIndex().build([], []).search("瑕疵檢測", 5) == []
    matcher = Matcher(embedder).fit([])
    assert matcher.rank(Query(id="q", text="瑕疵檢測 defect detection")) == []
