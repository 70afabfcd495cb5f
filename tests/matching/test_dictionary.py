"""The CC-CEDICT look-ups that let a search word meet its translation."""
from __future__ import annotations

from matching import dictionary
from matching.dictionary import Dictionary, sense

SAMPLE = """# CC-CEDICT
麵包 面包 [mian4 bao1] /bread/CL:片[pian4],袋[dai4]/
預測 预测 [yu4 ce4] /to forecast/to predict/
故障 故障 [gu4 zhang4] /malfunction/breakdown/defect/
機 机 [ji1] /machine/engine/opportunity/
機器 机器 [ji1 qi4] /machine/
需求 需求 [xu1 qiu2] /requirement/to require/(economics) demand/
""".splitlines()


def test_definitions_become_search_words():
    assert sense("to forecast") == "forecast"
    assert sense("(economics) demand") == "demand"
    assert sense("CL:片[pian4],袋[dai4]") == "" and sense("variant of 麵[mian4]") == ""


def test_english_words_find_chinese_words_of_two_characters_or_more():
    words = Dictionary(SAMPLE)
    assert words.chinese("Bread") == ["麵包"] and words.chinese("breads") == ["麵包"]
    assert words.chinese("forecasting") == ["預測"]
    assert words.chinese("machine") == ["機器"]          # not 機 alone: it is in 機會 too
    assert words.chinese("defect") == []                  # a third sense is a rarer use


def test_chinese_words_find_their_first_senses():
    words = Dictionary(SAMPLE)
    assert words.english("預測") == ["forecast", "predict"]
    assert words.english("需求") == ["requirement", "require"]
    assert words.split("麵包需求預測的") == ["麵包", "需求", "預測", "的"]
    assert words.translate("bread 預測 of") == [("bread", ["麵包"]), ("預測", ["forecast", "predict"])]


def test_the_packaged_dictionary_reads():
    words = dictionary.default()
    assert "麵包" in words.chinese("bread") and "粉塵" in words.chinese("dust")
    assert "forecast" in words.english("預測")
