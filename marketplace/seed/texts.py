"""Short texts the demo generates around the written problems: bids, milestones, progress."""
from __future__ import annotations

import random

PROBLEM_FIELDS = ("title", "language", "context", "pain", "data_kinds", "data_volume", "data_format",
                  "data_sensitivity", "outcome", "kpi", "constraints", "on_premise", "edge_device",
                  "field_site", "budget_min", "budget_max", "timeline_months")

MILESTONES = {
    "zh-TW": ["需求訪談與資料盤點", "原型模型與 PoC 驗證", "現場導入與驗收"],
    "en": ["Requirements and data audit", "Prototype and proof of concept", "On-site deployment and acceptance"],
}

PROGRESS = {
    "zh-TW": [
        "已完成現場訪談，取得第一批資料並完成欄位盤點，缺漏約 {missing}%，已與窗口確認補齊方式。",
        "原型模型於驗證集達到 {pct}% 的目標值，下週與產線人員一起檢視誤判案例。",
        "系統已安裝於現場設備試運行，收集操作人員回饋中，預計兩週內完成驗收文件。",
    ],
    "en": [
        "Site interviews done; first data batch received and audited, about {missing}% of fields missing, fix agreed with the client.",
        "The prototype reaches {pct}% of the target on the validation set; reviewing false alarms with operators next week.",
        "Installed on site for a trial run; collecting operator feedback, acceptance documents due in two weeks.",
    ],
}

REJECTIONS = {
    "zh-TW": "問題描述過於籠統，請補充可提供的資料種類、數量與具體 KPI 後再送審。",
    "en": "The description is too general; please add the kinds and volume of data available and a concrete KPI, then resubmit.",
}


def bid_approach(team: dict, rng: random.Random, skill_names: list[str]) -> str:
    """A plausible approach paragraph in the team's profile language."""
    project = rng.choice(team["portfolio"])["title"]
    skills = skill_names[:3]
    if team["language"] == "en":
        return (f"Our team works in {', '.join(skills)} and delivered “{project}”. We would start by "
                f"auditing your data and agreeing the KPI, build a prototype within "
                f"{rng.choice([4, 6, 8])} weeks, then validate it on site before handing over.")
    return (f"本團隊專長為{'、'.join(skills)}，曾完成「{project}」。將先與貴公司盤點資料並確認 KPI，"
            f"於 {rng.choice([4, 6, 8])} 週內完成原型，再到現場驗證後導入與教育訓練。")
