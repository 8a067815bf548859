"""A synthetic archive for benchmarks and load tests: real in shape, never in content.

Everything made here is marked so it cannot pass for a real readout: the
issuer is "Synthetic data (not a real readout)" (slug `synthetic`), titles
start "[Synthetic]", people are "Synthetic Leader 123", slugs start
`synthetic-`, and no readout has a source URL. Only Japan's prime ministers
are real: they come from the Administration table, as on the day.

The same seed gives the same archive (content, dates, slugs, point keys);
only database ids and creation timestamps differ between runs.
"""

import datetime
import random
import time
from dataclasses import dataclass, field
from importlib.resources import files
from itertools import accumulate

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from .models import (
    Administration,
    Annotation,
    Country,
    Issuer,
    Meeting,
    Occasion,
    Participation,
    Person,
    Point,
    Readout,
    Tenure,
    Topic,
)

ISSUER_SLUG = "synthetic"
ISSUER_NAME = "Synthetic data (not a real readout)"
TITLE_PREFIX = "[Synthetic]"
SLUG_PREFIX = "synthetic-"
USERNAME = "synthetic-data"

# Words for benchmarks to search: a made-up place name in about one point in
# 2,000, a common word, and a phrase that recurs.
RARE_WORD = "Vellmoria"
RARE_WORD_JA = "ヴェルモリア"
COMMON_WORD = "cooperation"
PHRASE = "rule of law"

FIRST_DAY = datetime.date(2001, 4, 26)  # the first administration in the table
LAST_DAY = datetime.date(2025, 12, 31)

# Counterpart countries, the frequent ones weighted; every other country
# with a time zone gets weight 1.
COUNTRY_WEIGHTS = {
    "US": 40, "KR": 20, "CN": 15, "AU": 12, "IN": 12, "GB": 12, "FR": 10, "DE": 10,
    "VN": 8, "PH": 8, "ID": 8, "IT": 7, "CA": 7, "TH": 6, "SG": 6, "MY": 6, "RU": 5,
    "UA": 5, "BR": 4, "NZ": 4, "MN": 3, "KH": 3, "TR": 3, "SA": 3, "AE": 3,
}  # fmt: skip
MAJOR_COUNTRY_WEIGHT = 1

KIND_WEIGHTS = {
    Meeting.Kind.SUMMIT_MEETING: 35,
    Meeting.Kind.SUMMIT_TELEPHONE_TALK: 20,
    Meeting.Kind.SUMMIT_VIDEO_CONFERENCE: 5,
    Meeting.Kind.FOREIGN_MINISTERS_MEETING: 15,
    Meeting.Kind.FOREIGN_MINISTERS_TELEPHONE_TALK: 8,
    Meeting.Kind.INFORMAL_TALK: 5,
    Meeting.Kind.COURTESY_CALL: 5,
    Meeting.Kind.WORKING_MEAL: 4,
    Meeting.Kind.OTHER: 3,
}
MINISTERIAL = {
    Meeting.Kind.FOREIGN_MINISTERS_MEETING,
    Meeting.Kind.FOREIGN_MINISTERS_TELEPHONE_TALK,
}
REMOTE = {
    Meeting.Kind.SUMMIT_TELEPHONE_TALK,
    Meeting.Kind.SUMMIT_VIDEO_CONFERENCE,
    Meeting.Kind.FOREIGN_MINISTERS_TELEPHONE_TALK,
}
TITLE_WORDS = {
    Meeting.Kind.SUMMIT_MEETING: ("Summit Meeting", "首脳会談"),
    Meeting.Kind.SUMMIT_TELEPHONE_TALK: ("Summit Telephone Talk", "首脳電話会談"),
    Meeting.Kind.SUMMIT_VIDEO_CONFERENCE: ("Summit Video Conference", "首脳テレビ会談"),
    Meeting.Kind.FOREIGN_MINISTERS_MEETING: ("Foreign Ministers' Meeting", "外相会談"),
    Meeting.Kind.FOREIGN_MINISTERS_TELEPHONE_TALK: (
        "Foreign Ministers' Telephone Talk",
        "外相電話会談",
    ),
    Meeting.Kind.INFORMAL_TALK: ("Informal Talk", "首脳懇談"),
    Meeting.Kind.COURTESY_CALL: ("Courtesy Call", "表敬"),
    Meeting.Kind.WORKING_MEAL: ("Working Lunch", "ワーキング・ランチ"),
    Meeting.Kind.OTHER: ("Meeting", "会談"),
}

# (status, weight per 10,000 meetings): about 5% drafts and a few withdrawn.
STATUS_WEIGHTS = [
    (Readout.Status.PUBLISHED, 9390),
    (Readout.Status.DRAFT, 500),
    (Readout.Status.IN_REVIEW, 80),
    (Readout.Status.WITHDRAWN, 20),
    (Readout.Status.WITHDRAWN_SILENTLY, 10),
]
ENGLISH_ONLY_SHARE = 0.15
SUB_POINT_SHARE = 0.2
ANNOTATED_SHARE = 0.08

TOPICS = {
    "Security": ["North Korea", "Maritime security", "Defence cooperation", "Nuclear issues"],
    "Economy": ["Trade", "Energy", "Supply chains", "Investment"],
    "Regional affairs": ["Indo-Pacific", "Ukraine", "Middle East", "China"],
    "Global issues": ["Climate change", "Health", "Development"],
    "People-to-people exchanges": ["Tourism", "Education", "Culture"],
}

# The head of the English vocabulary, most frequent first; a long tail of
# made-up words follows, so that a Zipf draw gives common and rare words.
ENGLISH_HEAD = """
cooperation two leaders region security economic relations important
bilateral international peace stability countries further strengthen
confirmed support development trade investment energy issues including
shared recognition concurred continue close coordination community
efforts partnership future exchanges people field areas north korea
china russia ukraine maritime sea order free open indo-pacific climate
change health infrastructure supply chains technology digital defence
nuclear denuclearization abductions sanctions alliance dialogue summit
visit minister prime president foreign affairs government framework
agreement negotiations progress achieve realize promote expressed
gratitude welcomed hope commitment friendship anniversary year years
situation concern unilateral attempts status quo force east south
resolution humanitarian assistance reconstruction education culture
tourism youth science innovation space cyber economic-security
critical minerals semiconductors food water disaster prevention
"""
ENGLISH_PHRASES = [
    PHRASE,
    "free and open Indo-Pacific",
    "North Korea",
    "supply chains",
    "economic security",
    "the two leaders",
    "peace and stability",
]
OPENERS = [
    "The two leaders concurred to",
    "The two leaders shared the recognition that",
    "Prime Minister stated that Japan would",
    "In response, the counterpart expressed the intention to",
    "Both sides confirmed that they would",
    "The two ministers exchanged views on",
    "They also agreed to",
    "The Prime Minister explained that",
]
JAPANESE_HEAD = """
協力 両首脳 地域 安全保障 経済 関係 重要 二国間 国際 平和 安定 両国 更なる 強化
確認 支援 開発 貿易 投資 エネルギー 課題 共有 認識 一致 連携 緊密 社会 取組
パートナーシップ 将来 交流 人的 分野 北朝鮮 中国 ロシア ウクライナ 海洋 秩序
自由 開かれた インド太平洋 気候変動 保健 インフラ サプライチェーン 技術 デジタル
防衛 核 非核化 拉致問題 制裁 同盟 対話 首脳会談 訪問 大臣 総理 大統領 外務
政府 枠組み 合意 交渉 進展 実現 推進 表明 謝意 歓迎 期待 友好 周年
"""
JAPANESE_VERBS = [
    "で一致した。",
    "を確認した。",
    "について意見交換を行った。",
    "を歓迎した。",
    "を表明した。",
    "に期待を示した。",
]
SYLLABLES = "ka ri to mo ve sa lu ne di por an tel ra mi zo qu bel dor ith"
KANJI = "安全保障経済協力平和地域国際交流開発投資技術海洋防衛環境文化教育観光科学宇宙"


def made_up_words(count, rng, pieces, join=""):
    """A fixed tail of invented words (same for every seed: the vocabulary is not data)."""
    words, seen = [], set()
    while len(words) < count:
        word = join.join(rng.choice(pieces) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Vocabulary:
    """Words with Zipf-like frequencies (weight 1/rank^s)."""

    def __init__(self, words, exponent=1.05):
        self.words = words
        self.cum_weights = list(accumulate(1 / rank**exponent for rank in range(1, len(words) + 1)))

    def draw(self, rng, count):
        return rng.choices(self.words, cum_weights=self.cum_weights, k=count)


def _vocabularies():
    fixed = random.Random(20010426)
    english = Vocabulary(ENGLISH_HEAD.split() + made_up_words(4000, fixed, SYLLABLES.split()))
    japanese = Vocabulary(JAPANESE_HEAD.split() + made_up_words(1500, fixed, list(KANJI)))
    return english, japanese


def country_zones():
    """{country code: [IANA zones]} from the tz database's zone.tab."""
    zones = {}
    table = files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, _, zone = line.split("\t")[:3]
            zones.setdefault(code, []).append(zone)
    return zones


def city_of(zone):
    return zone.rsplit("/", 1)[-1].replace("_", " ")


@dataclass
class Counts:
    meetings: int = 0
    readouts: int = 0
    points: int = 0
    annotations: int = 0
    people: int = 0
    extra: dict = field(default_factory=dict)


def synthetic_issuer():
    issuer, _ = Issuer.objects.get_or_create(
        slug=ISSUER_SLUG,
        defaults={"name": ISSUER_NAME, "short_name": "Synthetic", "country_id": "JP"},
    )
    return issuer


def has_synthetic_data():
    return Readout.objects.filter(issuer__slug=ISSUER_SLUG).exists()


def clear():
    """Remove everything a previous run generated, with set-based SQL: the ORM's
    cascade collector would load hundreds of thousands of points into memory."""
    readouts = f"SELECT id FROM {Readout._meta.db_table} WHERE issuer_id = %s"
    points = f"SELECT id FROM {Point._meta.db_table} WHERE readout_id IN ({readouts})"
    meetings = f"SELECT meeting_id FROM {Readout._meta.db_table} WHERE issuer_id = %s"
    issuer = Issuer.objects.filter(slug=ISSUER_SLUG).first()
    if issuer is None:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Annotation._meta.db_table} WHERE readout_id IN ({readouts})",
            [issuer.pk],
        )
        cursor.execute(
            f"DELETE FROM {Point.topics.through._meta.db_table} WHERE point_id IN ({points})",
            [issuer.pk],
        )
        cursor.execute(
            f"DELETE FROM {Point._meta.db_table} WHERE readout_id IN ({readouts})", [issuer.pk]
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE synthetic_meetings AS " + meetings.replace("%s", str(issuer.pk))
        )
        cursor.execute(
            f"DELETE FROM {Readout._meta.db_table} WHERE issuer_id = %s"
            " AND translation_of_id IS NOT NULL",
            [issuer.pk],
        )
        cursor.execute(f"DELETE FROM {Readout._meta.db_table} WHERE issuer_id = %s", [issuer.pk])
        cursor.execute(
            f"DELETE FROM {Participation._meta.db_table}"
            " WHERE meeting_id IN (SELECT meeting_id FROM synthetic_meetings)"
            f" AND meeting_id NOT IN (SELECT meeting_id FROM {Readout._meta.db_table})"
        )
        cursor.execute(
            f"DELETE FROM {Meeting._meta.db_table}"
            " WHERE id IN (SELECT meeting_id FROM synthetic_meetings)"
            f" AND id NOT IN (SELECT meeting_id FROM {Readout._meta.db_table})"
        )
        cursor.execute("DROP TABLE synthetic_meetings")
    Tenure.objects.filter(person__slug__startswith=SLUG_PREFIX).delete()
    Person.objects.filter(slug__startswith=SLUG_PREFIX, participations__isnull=True).delete()
    Occasion.objects.filter(slug__startswith=SLUG_PREFIX, meetings__isnull=True).delete()
    Topic.objects.filter(slug__startswith=SLUG_PREFIX, parent__isnull=False).delete()
    Topic.objects.filter(slug__startswith=SLUG_PREFIX).delete()


class ArchiveGenerator:
    """Builds meetings in chunks, each saved with a handful of bulk inserts."""

    def __init__(self, seed, batch_size=1000, log=None):
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        self.log = log or (lambda message: None)
        self.english, self.japanese = _vocabularies()
        self.counts = Counts()

    # Reference data: people, occasions, topics.

    def prepare(self):
        self.issuer = synthetic_issuer()
        self.user, _ = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"is_active": False, "first_name": "Synthetic data"}
        )
        names = dict(Country.objects.values_list("code", "name"))
        zones = country_zones()
        self.country_names = names
        self.zones = zones
        codes = sorted(code for code in names if code in zones and code not in {"JP", "AQ"})
        self.countries = codes
        self.country_cum = list(
            accumulate(COUNTRY_WEIGHTS.get(code, MAJOR_COUNTRY_WEIGHT) for code in codes)
        )
        self.administrations = list(
            Administration.objects.select_related("prime_minister").order_by("started_on")
        )
        self.make_people()
        self.make_occasions()
        self.make_topics()

    def make_people(self):
        """Leaders and foreign ministers for each country, in successive terms."""
        rng = self.rng
        people, tenures, self.terms = [], [], {}
        number = 0
        for code in ["JP", *self.countries]:
            for role in ("leader", "minister"):
                if code == "JP" and role == "leader":
                    continue  # Japan's prime ministers are the real ones
                start = FIRST_DAY - datetime.timedelta(days=rng.randint(0, 1500))
                title = (
                    rng.choice(["President", "Prime Minister"])
                    if role == "leader"
                    else "Minister for Foreign Affairs"
                )
                while start <= LAST_DAY:
                    end = start + datetime.timedelta(days=rng.randint(500, 2900))
                    number += 1
                    name = f"Synthetic {role.title()} {number}"
                    person = Person(
                        family_name=f"{role.title()} {number}",
                        given_name="Synthetic",
                        name_form=name,
                        honorific="H.E.",
                        country_id=code,
                        slug=f"{SLUG_PREFIX}{role}-{number}",
                    )
                    full_title = f"{title} of {self.country_names[code]}"
                    people.append(person)
                    tenures.append((person, full_title, code, start, end))
                    self.terms.setdefault((code, role), []).append((start, end, person, full_title))
                    start = end
        Person.objects.bulk_create(people, batch_size=self.batch_size)
        Tenure.objects.bulk_create(
            [
                Tenure(person=p, title=t, country_id=c, started_on=s, ended_on=e)
                for p, t, c, s, e in tenures
            ],
            batch_size=self.batch_size,
        )
        self.counts.people = len(people)

    def make_occasions(self):
        rng = self.rng
        occasions = []
        kinds = ["Regional Summit", "Leaders' Conference", "Ministerial Forum", "Economic Forum"]
        for year in range(FIRST_DAY.year, LAST_DAY.year + 1):
            for number in range(1, 11):
                code = self.pick_country()
                started = datetime.date(year, rng.randint(1, 12), rng.randint(1, 26))
                place = RARE_WORD if number == 7 else city_of(rng.choice(self.zones[code]))
                name = f"Synthetic {rng.choice(kinds)} {number} ({place})"
                occasions.append(
                    Occasion(
                        name=name,
                        slug=f"{SLUG_PREFIX}occasion-{year}-{number}",
                        started_on=started,
                        ended_on=started + datetime.timedelta(days=rng.randint(0, 3)),
                        city=city_of(rng.choice(self.zones[code])),
                        country_id=code,
                    )
                )
        Occasion.objects.bulk_create(occasions)
        self.occasions_by_year = {}
        for occasion in occasions:
            self.occasions_by_year.setdefault(occasion.started_on.year, []).append(occasion)

    def make_topics(self):
        self.topics = []
        for root_name, children in TOPICS.items():
            root = Topic.objects.create(
                name=f"{root_name} (synthetic)",
                slug=f"{SLUG_PREFIX}{slugify_ascii(root_name)}",
                description="A synthetic topic for benchmarks.",
            )
            self.topics.append(root)
            for child in children:
                self.topics.append(
                    Topic.objects.create(
                        name=f"{child} (synthetic)",
                        slug=f"{SLUG_PREFIX}{slugify_ascii(child)}",
                        parent=root,
                        description="A synthetic topic for benchmarks.",
                    )
                )

    # Drawing.

    def pick_country(self):
        return self.rng.choices(self.countries, cum_weights=self.country_cum)[0]

    def person_on(self, code, role, day):
        for start, end, person, title in self.terms[(code, role)]:
            if start <= day < end:
                return person, title
        return self.terms[(code, role)][-1][2:]

    def prime_minister_on(self, day):
        current = self.administrations[0]
        for administration in self.administrations:
            if administration.started_on <= day:
                current = administration
        return current.prime_minister

    def english_point(self):
        rng = self.rng
        sentences = []
        for _ in range(rng.randint(1, 3)):
            words = self.english.draw(rng, rng.randint(8, 18))
            if rng.random() < 0.15:
                words.insert(rng.randrange(len(words)), rng.choice(ENGLISH_PHRASES))
            sentences.append(f"{rng.choice(OPENERS)} {' '.join(words)}.")
        rare = rng.random() < 0.0005
        if rare:
            sentences.append(f"They also discussed the situation in {RARE_WORD}.")
        return " ".join(sentences), rare

    def japanese_point(self, rare):
        rng = self.rng
        sentences = []
        for _ in range(rng.randint(1, 3)):
            words = self.japanese.draw(rng, rng.randint(4, 9))
            sentences.append("両首脳は、" + "、".join(words) + rng.choice(JAPANESE_VERBS))
        if rare:
            sentences.append(f"また、{RARE_WORD_JA}情勢についても意見交換を行った。")
        return "".join(sentences)

    def key(self):
        return f"{self.rng.getrandbits(32):08x}"

    # Meetings.

    def generate(self, meetings):
        started = time.monotonic()
        self.prepare()
        done = 0
        while done < meetings:
            size = min(self.batch_size, meetings - done)
            with transaction.atomic():
                self.make_chunk(done, size)
            done += size
            self.log(
                f"{done:>9,}/{meetings:,} meetings, {self.counts.readouts:,} readouts, "
                f"{self.counts.points:,} points, {time.monotonic() - started:.1f} s"
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.counts.extra["seconds"] = time.monotonic() - started
        return self.counts

    def plan_meeting(self, number):
        rng = self.rng
        day = FIRST_DAY + datetime.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
        kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        role = "minister" if kind in MINISTERIAL else "leader"
        counterparts = [self.pick_country()]
        occasion = None
        if kind not in REMOTE and rng.random() < 0.3:
            occasion = rng.choice(self.occasions_by_year[day.year])
            day = min(occasion.started_on + datetime.timedelta(days=rng.randint(0, 2)), LAST_DAY)
            if kind == Meeting.Kind.SUMMIT_MEETING and rng.random() < 0.15:
                other = self.pick_country()
                if other != counterparts[0]:
                    counterparts.append(other)
        if occasion:
            country, city = occasion.country_id, occasion.city
        elif kind in REMOTE or rng.random() < 0.5:
            country, city = "JP", "Tokyo"
        else:
            country = counterparts[0]
            city = city_of(rng.choice(self.zones[country]))
        zone = "Asia/Tokyo" if country == "JP" else self.zone_for(country, city)
        meeting = Meeting(
            date=day,
            start_time=datetime.time(rng.randint(8, 20), rng.randrange(0, 60, 5)),
            time_zone=zone,
            duration_minutes=rng.randrange(10, 125, 5),
            duration_approximate=rng.random() < 0.7,
            city=city,
            country_id=country,
            location_text="at the Prime Minister's Office" if country == "JP" else "",
            occasion=occasion,
            kind=kind,
        )
        if role == "minister":
            japan = self.person_on("JP", "minister", day)
        else:
            japan = (self.prime_minister_on(day), "Prime Minister of Japan")
        others = [self.person_on(code, role, day) for code in counterparts]
        status = rng.choices(
            [s for s, _ in STATUS_WEIGHTS], weights=[w for _, w in STATUS_WEIGHTS]
        )[0]
        return {
            "number": number,
            "meeting": meeting,
            "japan": japan,
            "others": others,
            "status": status,
            "english_only": rng.random() < ENGLISH_ONLY_SHARE,
            "points": self.plan_points(),
        }

    def zone_for(self, country, city):
        for zone in self.zones[country]:
            if city_of(zone) == city:
                return zone
        return self.zones[country][0]

    def plan_points(self):
        rng = self.rng
        top = rng.choices([2, 3, 4, 5, 6], weights=[2, 3, 3, 2, 1])[0]
        with_subs = rng.randrange(top) if rng.random() < SUB_POINT_SHARE else None
        plan = []
        for index in range(top):
            subs = rng.randint(2, 4) if index == with_subs else 0
            plan.append(
                {
                    "english": self.english_point(),
                    "topics": rng.sample(self.topics, rng.choice([0, 1, 1, 2])),
                    "subs": [self.english_point() for _ in range(subs)],
                }
            )
        return plan

    def make_chunk(self, first, size):
        rng = self.rng
        plans = [self.plan_meeting(first + offset + 1) for offset in range(size)]
        Meeting.objects.bulk_create([plan["meeting"] for plan in plans])
        participations = []
        for plan in plans:
            meeting = plan["meeting"]
            pm, pm_title = plan["japan"]
            participations.append(
                Participation(
                    meeting=meeting,
                    person=pm,
                    title=pm_title,
                    country_id="JP",
                    side=Participation.Side.JAPAN,
                    position=0,
                )
            )
            for position, (person, title) in enumerate(plan["others"], start=1):
                participations.append(
                    Participation(
                        meeting=meeting,
                        person=person,
                        title=title,
                        country_id=person.country_id,
                        side=Participation.Side.COUNTERPART,
                        position=position,
                    )
                )
        Participation.objects.bulk_create(participations)

        originals, translations = [], []
        for plan in plans:
            plan["original"] = self.readout(plan, english=plan["english_only"])
            originals.append(plan["original"])
        Readout.objects.bulk_create(originals)
        for plan in plans:
            if not plan["english_only"]:
                plan["translation"] = self.readout(plan, english=True, of=plan["original"])
                translations.append(plan["translation"])
        Readout.objects.bulk_create(translations)

        # Originals' points first: translations point back at them.
        point_topics, annotations = [], []
        for side in ("original", "translation"):
            tops, subs = [], []
            for plan in plans:
                readout = plan.get(side)
                if readout is None:
                    continue
                english = readout.language == Readout.Language.ENGLISH
                made = plan.setdefault(f"{side}_points", [])
                for index, item in enumerate(plan["points"], start=1):
                    text, rare = item["english"]
                    point = Point(
                        readout=readout,
                        label=f"{index}.",
                        position=index * 10,
                        text=text if english else self.japanese_point(rare),
                        key=self.key(),
                        translates=plan["original_points"][len(made)]
                        if side != "original"
                        else None,
                    )
                    made.append(point)
                    tops.append(point)
                    point_topics += [(point, topic) for topic in item["topics"]]
                    for sub_index, (sub_text, sub_rare) in enumerate(item["subs"], start=1):
                        sub = Point(
                            readout=readout,
                            parent=point,
                            label=f"({sub_index})",
                            position=index * 10 + sub_index,
                            text=sub_text if english else self.japanese_point(sub_rare),
                            key=self.key(),
                            translates=(
                                plan["original_points"][len(made)] if side != "original" else None
                            ),
                        )
                        made.append(sub)
                        subs.append(sub)
                if rng.random() < ANNOTATED_SHARE:
                    annotations.append(self.annotation(readout, rng.choice(made)))
            Point.objects.bulk_create(tops, batch_size=2000)
            Point.objects.bulk_create(subs, batch_size=2000)
            self.counts.points += len(tops) + len(subs)
        Through = Point.topics.through
        Through.objects.bulk_create(
            [Through(point_id=point.pk, topic_id=topic.pk) for point, topic in point_topics],
            batch_size=5000,
        )
        Annotation.objects.bulk_create(annotations)
        self.counts.meetings += len(plans)
        self.counts.readouts += len(originals) + len(translations)
        self.counts.annotations += len(annotations)

    def readout(self, plan, english, of=None):
        meeting, number, status = plan["meeting"], plan["number"], plan["status"]
        english_words, japanese_words = TITLE_WORDS[meeting.kind]
        counterparts = [person for person, _ in plan["others"]]
        names = "-".join(self.country_names[p.country_id] for p in counterparts)
        if english:
            title = f"{TITLE_PREFIX} Japan-{names} {english_words}"
            lead = self.english_lead(plan)
        else:
            title = f"{TITLE_PREFIX} 日・{names}{japanese_words}"
            lead = self.japanese_lead(plan)
        published = status in {
            Readout.Status.PUBLISHED,
            Readout.Status.WITHDRAWN,
            Readout.Status.WITHDRAWN_SILENTLY,
        }
        return Readout(
            meeting=meeting,
            issuer=self.issuer,
            language=Readout.Language.ENGLISH if english else Readout.Language.JAPANESE,
            title=title,
            slug=f"{SLUG_PREFIX}{number:06d}-{'en' if english else 'ja'}",
            published_on=meeting.date + datetime.timedelta(days=self.rng.choice([0, 0, 0, 1])),
            lead=lead,
            source_url="",
            translation_status=(
                Readout.TranslationStatus.PROVISIONAL if of else Readout.TranslationStatus.ORIGINAL
            ),
            translation_of=of,
            status=status,
            withdrawal_note=(
                "Synthetic withdrawal: this readout was withdrawn for the benchmark."
                if status == Readout.Status.WITHDRAWN
                else ""
            ),
            created_by=self.user,
            published_by=self.user if published else None,
            published_at=(
                datetime.datetime.combine(meeting.date, datetime.time(22, 0), tzinfo=datetime.UTC)
                if published
                else None
            ),
        )

    def english_lead(self, plan):
        meeting = plan["meeting"]
        pm, pm_title = plan["japan"]
        others = " and ".join(f"{p.name_form}, {title}" for p, title in plan["others"])
        when = meeting.start_time.strftime("%I:%M %p").lstrip("0").lower().replace("m", ".m.")
        return (
            f"On {meeting.date:%B} {meeting.date.day}, commencing at {when} (local time) "
            f"for approximately {meeting.duration_minutes} minutes, {pm.name_form}, {pm_title}, "
            f"held a {meeting.get_kind_display().lower()} with {others}. "
            "The overview of the meeting is as follows. (Synthetic data, not a real readout.)"
        )

    def japanese_lead(self, plan):
        meeting = plan["meeting"]
        pm, _ = plan["japan"]
        others = "及び".join(p.name_form for p, _ in plan["others"])
        return (
            f"{meeting.date.month}月{meeting.date.day}日、{meeting.start_time.hour}時"
            f"{meeting.start_time.minute}分から約{meeting.duration_minutes}分間、"
            f"{pm.name_form}は{others}と会談を行ったところ、概要は以下のとおりです。"
            "（合成データであり、実際の発表ではありません。）"
        )

    def annotation(self, readout, point):
        rng = self.rng
        text = point.text
        length = min(len(text), rng.randint(6, 20))
        start = rng.randrange(0, len(text) - length + 1)
        return Annotation(
            readout=readout,
            point=point,
            exact=text[start : start + length],
            prefix=text[max(0, start - 16) : start],
            suffix=text[start + length : start + length + 16],
            kind=rng.choice(Annotation.Kind.values),
            body=f"Synthetic note: an editor's remark on *{text[start : start + length]}*.",
            visibility=(
                Annotation.Visibility.PUBLIC
                if rng.random() < 0.7
                else Annotation.Visibility.INTERNAL
            ),
            author=self.user,
        )


def slugify_ascii(text):
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")
