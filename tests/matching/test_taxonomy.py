"""The bilingual taxonomy: big enough, both languages, and a tagger that meets zh and en texts."""
from __future__ import annotations

import subprocess
import sys

from matching import taxonomy


def test_taxonomy_has_at_least_150_bilingual_terms():
    tax = taxonomy.default()
    assert len(tax) >= 150
    kinds = {t.kind for t in tax.terms.values()}
    assert {"technique", "data", "industry"} <= kinds
    for term in tax.terms.values():
        assert term.zh and term.en and term.zh != term.en


def test_chinese_problem_and_english_profile_meet_on_shared_tags():
    tax = taxonomy.default()
    problem = tax.tag("我們的 CNC 工具機主軸常無預警故障，希望導入預知保養，利用振動感測資料提早示警。")
    profile = tax.tag("We build predictive maintenance for machine tools from vibration analysis.")
    shared = set(problem) & set(profile)
    assert {"predictive_maintenance", "vibration_analysis"} <= shared


def test_latin_aliases_need_word_boundaries():
    tax = taxonomy.default()
    assert "optical_character_recognition" not in tax.tag("procrastination and microscope")
    assert tax.tag("OCR of invoices") and tax.tag("發票 OCR 辨識")


def test_labels_follow_the_locale():
    tax = taxonomy.default()
    key = tax.lookup("瑕疵檢測")
    assert key and tax.label(key, "zh_TW") != tax.label(key, "en")


def test_matching_library_does_not_import_flask():
    code = "import sys, matching.taxonomy; assert 'flask' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_word_of_skill_names_stands_for_those_skills():
    from matching import taxonomy

    tax = taxonomy.default()
    found = tax.containing("forecasting")
    assert {"demand_forecasting", "time_series_forecasting", "load_forecasting"} <= set(found)
    assert tax.containing("forecast") == found                  # stemmed
    assert tax.containing("time series forecasting") == ["time_series_forecasting"]
    assert tax.containing("瑕疵") == ["defect_detection"]
    assert tax.containing("data") == [] and tax.containing("") == []   # too general, or nothing


def test_a_search_word_is_translated_by_what_its_skills_share():
    from matching import taxonomy

    tax = taxonomy.default()
    # "defect" names Defect Detection; Yield holds it only in its alias "defect rate".
    assert tax.containing("defect") == ["defect_detection"]
    words = tax.common_words(tax.containing("forecasting"))
    assert {"forecast", "預測"} <= set(words)
    assert not {"需求", "品質", "價格"} & set(words)          # each in only one forecasting term's name
    # One term: its own two names; matched one language at a time.
    assert tax.translations(["anomaly_detection"]) == ["偵測 常偵 異常", "anomali detect"]
    assert tax.translations([]) == []


def test_a_skill_stands_for_the_skills_below_it():
    from matching import taxonomy

    tax = taxonomy.default()
    below = tax.with_children({"llm"})
    assert {"llm", "rag", "llm_fine_tuning", "document_qa"} <= below      # document Q&A is under RAG
    assert "chatbot" not in below and tax.with_children(set()) == set()
    # Only the main names count as a translation: "logistics" is 物流, not "management".
    assert set(tax.common_words(tax.containing("logistics"))) == {"logist", "物流"}


def test_a_misspelt_word_is_corrected_to_a_known_one():
    from matching import taxonomy

    tax = taxonomy.default()
    assert tax.spelling("forcasting") == "forecasting"
    assert tax.spelling("predictve maintenence") == "predictive maintenance"
    assert tax.spelling("forecasting") is None and tax.spelling("瑕疵") is None and tax.spelling("qwxz") is None
    assert tax.spelling("bread") is None and tax.spelling("breads") is None   # real words, not "bead(s)"


def test_the_tagger_finds_what_a_plain_scan_finds():
    from bench.tagging import plain_tag
    from marketplace.seed.data import load_sector_files, load_teams
    from matching import taxonomy

    tax = taxonomy.default()
    texts = ["AI助理 for LINE bot", "x魚塭y", "預知保養。PdM,CBM", "defect-detection, defect detection!",
             "ChatGPT類ChatGPT", "machine learning" * 3, "3d 視覺", ""]
    texts += [p["title"] + p["pain"] + p["context"] for doc in load_sector_files() for p in doc["problems"]]
    texts += [p["summary"] for t in load_teams() for p in t["portfolio"]]
    assert [tax.tag(t) for t in texts] == [plain_tag(tax, t) for t in texts]


def test_a_fish_disease_is_not_a_crop_disease():
    tags = taxonomy.default().tag("石斑魚苗病害影像辨識：想及早發現虹彩病毒")
    assert "aquatic_disease" in tags and "crop_disease" not in tags
    assert "crop_disease" in taxonomy.default().tag("稻熱病與作物病害的早期預警")


def test_台_and_臺_are_one_character_to_the_tagger_and_the_tokenizer():
    from matching.text import tokenize

    tax = taxonomy.default()
    assert tax.tag("機臺故障頻繁") == tax.tag("機台故障頻繁") != []
    assert tokenize("臺中港") == tokenize("台中港")


def test_an_ambiguous_acronym_or_a_passing_word_is_no_tag():
    tax = taxonomy.default()
    assert "energy_management" not in tax.tag("白蝦 EMS（早期死亡症）爆發時整池損失")    # a shrimp disease here
    assert "energy_management" in tax.tag("工廠能源管理系統與用電分析")
    assert "smart_machinery" not in tax.tag("協助製造業客戶盤查碳排")                   # any manufacturer
    assert "smart_machinery" in tax.tag("智慧工廠產線升級")
