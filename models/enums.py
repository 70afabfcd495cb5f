"""Enumerations of the domain, each value with its zh-TW and English label."""
from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members carry a label per locale."""

    @classmethod
    def _labels(cls) -> dict[str, tuple[str, str]]:
        raise NotImplementedError

    def label(self, locale: str = "zh_TW") -> str:
        """Return the label for a locale ('zh_TW' or 'en')."""
        zh, en = self._labels()[self.value]
        return en if str(locale).startswith("en") else zh

    @classmethod
    def choices(cls, locale: str = "zh_TW") -> list[tuple[str, str]]:
        """(value, label) pairs for a select field."""
        return [(m.value, m.label(locale)) for m in cls]


class Sector(LabelledEnum):
    IOT = "iot"
    SMART_MACHINERY = "smart_machinery"
    GREEN_ENERGY = "green_energy"
    BIOMEDICINE = "biomedicine"
    DEFENSE = "defense"
    NEW_AGRICULTURE = "new_agriculture"
    CIRCULAR_ECONOMY = "circular_economy"

    @classmethod
    def _labels(cls):
        return {
            "iot": ("亞洲·矽谷（物聯網）", "Asia Silicon Valley (IoT)"),
            "smart_machinery": ("智慧機械", "Smart machinery"),
            "green_energy": ("綠能科技", "Green energy"),
            "biomedicine": ("生醫產業", "Biomedicine"),
            "defense": ("國防產業", "National defence"),
            "new_agriculture": ("新農業", "New agriculture"),
            "circular_economy": ("循環經濟", "Circular economy"),
        }


class Role(LabelledEnum):
    COMPANY = "company"
    TEAM = "team"
    STAFF = "staff"
    ADMIN = "admin"

    @classmethod
    def _labels(cls):
        return {
            "company": ("出題企業", "Company"),
            "team": ("AI 人才團隊", "AI talent team"),
            "staff": ("推動中心人員", "Promotion-centre staff"),
            "admin": ("系統管理員", "Administrator"),
        }

    @property
    def is_staff(self) -> bool:
        """Staff and admins both act as promotion-centre staff."""
        return self in (Role.STAFF, Role.ADMIN)


class ProblemStatus(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    REJECTED = "rejected"
    MATCHED = "matched"
    IN_PROGRESS = "in_progress"
    DELIVERED = "delivered"
    VERIFIED = "verified"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"

    @classmethod
    def _labels(cls):
        return {
            "draft": ("草稿", "Draft"),
            "submitted": ("審核中", "Submitted for review"),
            "published": ("已刊登", "Published"),
            "rejected": ("退回", "Rejected"),
            "matched": ("已媒合", "Matched"),
            "in_progress": ("執行中", "In progress"),
            "delivered": ("已交付", "Delivered"),
            "verified": ("已驗證", "Verified"),
            "withdrawn": ("已撤回", "Withdrawn"),
            "closed": ("已結案", "Closed"),
        }


class AffiliationType(LabelledEnum):
    UNIVERSITY_LAB = "university_lab"
    RESEARCH_INSTITUTE = "research_institute"
    STARTUP = "startup"
    ACADEMY_ALUMNI = "academy_alumni"
    COMPANY = "company"

    @classmethod
    def _labels(cls):
        return {
            "university_lab": ("大學實驗室", "University lab"),
            "research_institute": ("研究機構", "Research institute"),
            "startup": ("新創公司", "Startup"),
            "academy_alumni": ("AI 學校校友", "AI academy alumni"),
            "company": ("企業團隊", "Company team"),
        }


class CertLevel(LabelledEnum):
    BASIC = "basic"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @classmethod
    def _labels(cls):
        return {
            "basic": ("初階", "Basic"),
            "intermediate": ("中階", "Intermediate"),
            "advanced": ("高階", "Advanced"),
        }


class DataKind(LabelledEnum):
    IMAGE = "image"
    VIDEO = "video"
    TIME_SERIES = "time_series"
    TABULAR = "tabular"
    TEXT = "text"
    AUDIO = "audio"
    GEOSPATIAL = "geospatial"
    DOCUMENT = "document"

    @classmethod
    def _labels(cls):
        return {
            "image": ("影像", "Images"),
            "video": ("影片", "Video"),
            "time_series": ("時間序列", "Time series"),
            "tabular": ("表格資料", "Tabular data"),
            "text": ("文字", "Text"),
            "audio": ("聲音", "Audio"),
            "geospatial": ("地理空間", "Geospatial"),
            "document": ("文件", "Documents"),
        }


class Sensitivity(LabelledEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    PERSONAL = "personal"

    @classmethod
    def _labels(cls):
        return {
            "public": ("公開", "Public"),
            "internal": ("內部", "Internal"),
            "confidential": ("機密", "Confidential"),
            "personal": ("含個人資料", "Personal data"),
        }


class Language(LabelledEnum):
    ZH_TW = "zh-TW"
    EN = "en"

    @classmethod
    def _labels(cls):
        return {"zh-TW": ("繁體中文", "Traditional Chinese"), "en": ("英文", "English")}


class BidStatus(LabelledEnum):
    SUBMITTED = "submitted"
    SHORTLISTED = "shortlisted"
    SELECTED = "selected"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @classmethod
    def _labels(cls):
        return {
            "submitted": ("已投標", "Submitted"),
            "shortlisted": ("已列入候選", "Shortlisted"),
            "selected": ("已選定", "Selected"),
            "declined": ("未獲選", "Not selected"),
            "withdrawn": ("已撤回", "Withdrawn"),
        }


class MatchStatus(LabelledEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"

    @classmethod
    def _labels(cls):
        return {
            "proposed": ("待核准", "Awaiting approval"),
            "approved": ("已核准", "Approved"),
            "rejected": ("未核准", "Rejected"),
        }


class Region(LabelledEnum):
    TAIPEI = "taipei"
    NEW_TAIPEI = "new_taipei"
    TAOYUAN = "taoyuan"
    TAICHUNG = "taichung"
    TAINAN = "tainan"
    KAOHSIUNG = "kaohsiung"
    KEELUNG = "keelung"
    HSINCHU_CITY = "hsinchu_city"
    HSINCHU_COUNTY = "hsinchu_county"
    MIAOLI = "miaoli"
    CHANGHUA = "changhua"
    NANTOU = "nantou"
    YUNLIN = "yunlin"
    CHIAYI_CITY = "chiayi_city"
    CHIAYI_COUNTY = "chiayi_county"
    PINGTUNG = "pingtung"
    YILAN = "yilan"
    HUALIEN = "hualien"
    TAITUNG = "taitung"
    PENGHU = "penghu"
    KINMEN = "kinmen"
    LIENCHIANG = "lienchiang"

    @classmethod
    def _labels(cls):
        return {
            "taipei": ("臺北市", "Taipei City"),
            "new_taipei": ("新北市", "New Taipei City"),
            "taoyuan": ("桃園市", "Taoyuan City"),
            "taichung": ("臺中市", "Taichung City"),
            "tainan": ("臺南市", "Tainan City"),
            "kaohsiung": ("高雄市", "Kaohsiung City"),
            "keelung": ("基隆市", "Keelung City"),
            "hsinchu_city": ("新竹市", "Hsinchu City"),
            "hsinchu_county": ("新竹縣", "Hsinchu County"),
            "miaoli": ("苗栗縣", "Miaoli County"),
            "changhua": ("彰化縣", "Changhua County"),
            "nantou": ("南投縣", "Nantou County"),
            "yunlin": ("雲林縣", "Yunlin County"),
            "chiayi_city": ("嘉義市", "Chiayi City"),
            "chiayi_county": ("嘉義縣", "Chiayi County"),
            "pingtung": ("屏東縣", "Pingtung County"),
            "yilan": ("宜蘭縣", "Yilan County"),
            "hualien": ("花蓮縣", "Hualien County"),
            "taitung": ("臺東縣", "Taitung County"),
            "penghu": ("澎湖縣", "Penghu County"),
            "kinmen": ("金門縣", "Kinmen County"),
            "lienchiang": ("連江縣", "Lienchiang County"),
        }
