"""Generate yearbook volumes in the layout of the sample, together with the expected parse.

Used by the tests (variants the parser has never seen: other titles, departments,
photographers, table numbers and sizes, date forms) and by the benchmarks (30 volumes of
about a million characters). The text is recombined from the clauses of the bundled sample,
with numbers, places and names varied, and laid out as the PDF extractor lays out a page:
one-space page starts, hard-wrapped lines with blank lines between them, indented paragraph
starts, running heads, letter-spaced section heads, captions with credits, signatures,
source notes and numbered tables with spanned categories and wrapped cells.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from sipviewer.model.textutil import MARKER, char_width, width

SECTIONS = ["专记", "大事记", "经济发展", "城市建设", "社会事业", "开放合作", "科技创新", "文化旅游"]
DEPARTMENTS = [
    ("园区经发委", "苏州工业园区经济发展委员会"),
    ("园区合作发展局", "苏州工业园区合作发展局"),
    ("园区科技局", "苏州工业园区科技和信息化局"),
    ("园区社会事业局", "苏州工业园区社会事业局"),
    ("园区规建委", "苏州工业园区规划建设委员会"),
    ("园区商务局", "苏州工业园区商务局"),
    ("园区国土环保局", "苏州工业园区国土环保局"),
    ("园区党政办", "苏州工业园区党政办公室"),
    ("园区教育局", "苏州工业园区教育局"),
    ("园区文体旅局", "苏州工业园区文体旅游局"),
    ("园区新冠肺炎疫情防控指挥部办公室", "苏州工业园区新冠肺炎疫情防控指挥部办公室"),
]
SUPPLIERS = ["园区新闻中心", "园区档案管理中心", "园区融媒体中心", "园区宣传部", "园区摄影家协会"]
PHOTOGRAPHERS = ["陈雨禾", "王建国", "李晓明", "张海燕", "刘思远", "周斌", "吴佳怡", "钱文涛"]
NEWSPAPERS = ["深圳特区报", "新华日报", "苏州日报", "人民日报", "扬子晚报"]
PLACES = ["金鸡湖", "独墅湖", "阳澄湖", "斜塘", "唯亭", "胜浦", "娄葑", "湖东", "湖西", "月亮湾",
          "沙湖", "星湖", "松桃", "苏相合作区", "中新生态科技城", "BioBAY", "纳米城"]
TOPICS = ["营商环境", "科技创新", "生物医药", "纳米技术", "人工智能", "金融服务", "城市更新",
          "生态环境", "公共服务", "教育发展", "医疗卫生", "对口帮扶", "开放合作", "人才工作",
          "数字经济", "文化旅游", "社会治理", "基层党建", "乡村振兴", "自贸片区"]
ACTIONS = ["建设", "发展情况", "工作综述", "改革实践", "成效显著", "再上新台阶", "实现新突破",
           "高质量发展", "试点工作", "专项行动"]
CATEGORIES = ["经济结构", "创新发展", "人民生活", "公共服务", "资源环境", "开放合作", "城市建设"]
INDICATORS = ["地区生产总值年均增长速度", "服务业增加值占地区生产总值比重", "研发机构总数累计（家）",
              "每万人当年新增发明专利授权数（件）", "区域常住人口（万人）", "城镇登记失业率",
              "高等教育毛入学率", "每千人拥有医生数（人）", "万元地区生产总值能耗降幅",
              "新建建筑中绿色建筑（住宅和公建）所占比重", "实际使用外资（亿美元）", "进出口总额（亿美元）",
              "高新技术企业数（家）", "人均公园绿地面积（平方米）", "PM2.5平均浓度（微克 /立方米）"]


@dataclass
class ExpectedPhoto:
    caption: str
    date_start: date | None
    date_end: date | None
    date_precision: str
    credit: str
    credit_kind: str


@dataclass
class ExpectedTable:
    number: int
    title: str
    columns: list[str]
    rows: list[list[str]]
    attribution: str


@dataclass
class ExpectedArticle:
    title: str
    attribution: str | None
    source_note: str | None
    paragraphs: list[str] = field(default_factory=list)
    photos: list[ExpectedPhoto] = field(default_factory=list)
    tables: list[ExpectedTable] = field(default_factory=list)


@dataclass
class ExpectedSection:
    title: str
    articles: list[ExpectedArticle] = field(default_factory=list)


@dataclass
class Volume:
    text: str
    title: str
    edition_year: int
    sections: list[ExpectedSection]

    @property
    def articles(self) -> list[ExpectedArticle]:
        return [a for s in self.sections for a in s.articles]


@lru_cache(maxsize=1)
def _clauses() -> tuple[str, ...]:
    """Clauses of the sample's body text, the raw material of generated sentences."""
    text = resources.files("sipviewer.resources").joinpath(
        "sample/sip-yearbook-2021-zhuanji.txt").read_text(encoding="utf-8")
    body = "".join(line.strip() for line in text.split("\n") if len(line.strip()) >= 18)
    body = re.sub(r"[\s\ufffd]+", "", body)
    body = re.sub(r"（[^（）]*(供稿|摄)）", "", body)
    parts = re.split(r"[，。；！？]", body)
    out = []
    for part in parts:
        # drop fragments with unbalanced brackets or quotes: they would leak into titles
        if 4 <= len(part) <= 40 and _balanced(part):
            out.append(part)
    return tuple(out)


def _balanced(text: str) -> bool:
    return (text.count("（") == text.count("）") and text.count("“") == text.count("”")
            and text.count("《") == text.count("》"))


class Generator:
    """A seeded generator; the same seed gives the same volume."""

    def __init__(self, seed: int = 0, *, width_units: int | None = None) -> None:
        self.rng = random.Random(seed)
        self.width = width_units or self.rng.choice([46, 48, 50, 52])
        self.clauses = _clauses()

    # -- text -------------------------------------------------------------------------------
    def clause(self) -> str:
        c = self.rng.choice(self.clauses)
        c = re.sub(r"\d+(?:\.\d+)?", lambda m: self._number(m.group()), c)
        if self.rng.random() < 0.15:
            c = self.rng.choice(PLACES) + c
        return c

    def _number(self, text: str) -> str:
        if "." in text:
            return f"{self.rng.uniform(0.1, 999):.{len(text.split('.')[1])}f}"
        if len(text) == 4 and text.startswith(("19", "20")):
            return str(self.rng.randint(2000, 2024))
        return str(self.rng.randint(1, 10 ** min(len(text), 5)))

    def sentence(self) -> str:
        n = self.rng.choice([1, 2, 2, 3, 3, 4])
        return "，".join(self.clause() for _ in range(n)) + "。"

    def paragraph_text(self, min_chars: int) -> str:
        text = ""
        while len(text) < min_chars:
            text += self.sentence()
        return text

    def title(self) -> str:
        kind = self.rng.random()
        place = self.rng.choice(["苏州工业园区", "园区", self.rng.choice(PLACES)])
        topic, action = self.rng.choice(TOPICS), self.rng.choice(ACTIONS)
        if kind < 0.2:
            return f"{place}{topic}：{self.rng.choice(TOPICS)}{action}"
        if kind < 0.3:
            return f"{place}“十{self.rng.choice('三四五')}五”期间{topic}{action}"
        return f"{place}{topic}{action}"

    # -- layout -----------------------------------------------------------------------------
    def wrap(self, text: str, first_indent: int = 4) -> list[str]:
        """Hard-wrap like the PDF: first line narrower by the indent, last line short."""
        return _wrap(text, self.width - first_indent, self.width)

    def paragraph(self, min_chars: int) -> tuple[str, list[str]]:
        """A paragraph whose wrapped last line is clearly short (as the parser expects)."""
        text = self.paragraph_text(min_chars)
        for _ in range(20):
            lines = self.wrap(text)
            last_limit = self.width - (4 if len(lines) == 1 else 0)
            if width(lines[-1]) <= last_limit - 10 and not _ambiguous_inside(lines, self.width):
                return text, lines
            text += self.sentence()
        text = self.paragraph_text(8)
        return text, self.wrap(text)

    def caption(self, year: int) -> tuple[ExpectedPhoto, list[str]]:
        rng = self.rng
        form = rng.random()
        day = date(year, 1, 1) + timedelta(days=rng.randint(0, 360))
        what = self.clause()
        if form < 0.35:
            lead, start, end, precision = f"{day.year}年{day.month}月{day.day}日，", day, day, "day"
        elif form < 0.5:
            nxt = _month_end(day)
            lead = f"{day.year}年{day.month}月，"
            start, end, precision = day.replace(day=1), nxt, "month"
        elif form < 0.65:
            last = min(day + timedelta(days=rng.randint(1, 10)), _month_end(day))
            if last == day:
                day = day.replace(day=1)
            lead = f"{day.year}年{day.month}月{day.day}—{last.day}日，"
            start, end, precision = day, last, "range"
        elif form < 0.72:
            first = date(year - 1, 12, rng.randint(20, 31))
            last = date(year, 1, rng.randint(1, 9))
            lead = f"{first.year}年{first.month}月{first.day}日—{last.year}年{last.month}月{last.day}日，"
            start, end, precision = first, last, "range"
        else:
            lead, start, end, precision = "", None, None, "none"
            while what[0].isdigit():  # a caption that starts with a year is dated
                what = self.clause()
        text = lead + what
        if rng.random() < 0.5:
            text += "，" + self.clause()
        if rng.random() < 0.25:
            credit, kind, tail = rng.choice(PHOTOGRAPHERS), "photographer", "摄"
        else:
            credit, kind, tail = rng.choice(SUPPLIERS), "supplied", "供稿"
        # captions wrap wider, without blank lines between their lines
        lines = _wrap(text, 60, 60)
        credit_text = f"（{credit}\u2003 {tail}）"
        if rng.random() < 0.5:
            lines[-1] += f"{MARKER} {credit_text}"
        else:
            lines[-1] += MARKER
            lines.append(f"{MARKER} {credit_text}")
        return ExpectedPhoto(text, start, end, precision, credit, kind), lines

    def table(self, number: int, dept: str) -> tuple[ExpectedTable, list[str]]:
        rng = self.rng
        year = rng.randint(2015, 2024)
        title = f"园区“十{rng.choice('三四')}五”时期{rng.choice(TOPICS)}指标执行情况"
        columns = ["序号", "类别", "指标名称", f"{year}年目标值", f"{year}年完成值", "指标属性"]
        header = f"序\u2003 号 类\u2003 别 指标名称 {year}年目标值 {year}年完成值 指标属性"
        rows: list[list[str]] = []
        lines = [f"\u2003\u2003 表{number}\u2003 {title}", header]
        n = 1
        for category in rng.sample(CATEGORIES, rng.randint(1, 4)):
            span = rng.randint(1, 5)
            for k in range(span):
                name = rng.choice(INDICATORS)
                target = rng.choice([f"{rng.randint(1, 99)}%", f"{rng.randint(1, 99)}%左右",
                                     f"{rng.randint(1, 500)}", f"{rng.randint(1, 40)}—{rng.randint(41, 90)}",
                                     "完成市下达目标"])
                done = rng.choice([f"{rng.uniform(1, 99):.2f}%", f"{rng.randint(1, 900)}", "完成",
                                   f"{rng.uniform(0.1, 200):.2f}"])
                prop = rng.choice(["预期性", "约束性"])
                wrapped = rng.random() < 0.15
                if wrapped:
                    target = "高于地区生产总值增幅"
                    done = "与地区生产总值增长同步"
                rows.append([str(n), category, name, target, done, prop])
                if k == 0:
                    lines += [str(n), category]
                    first = f"{name} "
                else:
                    first = f"{n} {name} "
                if wrapped:
                    lines += [first.rstrip() + "\n高于地区生产" + MARKER, "总值增幅\n与地区生产总值" + MARKER,
                              "增长同步\n" + prop]
                else:
                    gap = " " * rng.choice([1, 1, 13])
                    lines.append(f"{first}{gap}{target} {done} {prop}")
                n += 1
        lines.append(f"{MARKER} （{dept}）")
        laid_out = [x for line in lines for x in (line, "")][:-1]
        return ExpectedTable(number, title, columns, rows, dept), laid_out


def _wrap(text: str, first: int, rest: int) -> list[str]:
    lines, current, used, limit = [], "", 0, first
    for ch in text:
        w = char_width(ch)
        # typesetters do not break inside a Latin word: the line is set a little tighter
        in_word = ch.isascii() and ch.isalpha() and current[-1:].isascii() \
            and current[-1:].isalpha()
        if used + w > limit and not in_word:
            lines.append(current)
            current, used, limit = "", 0, rest
        current += ch
        used += w
    lines.append(current)
    return lines


def _month_end(d: date) -> date:
    nxt = d.replace(day=28) + timedelta(days=4)
    return nxt - timedelta(days=nxt.day)


def _ambiguous_inside(lines: list[str], full: int) -> bool:
    """A line inside the paragraph that ends a sentence and could pass for its end."""
    for line in lines[:-1]:
        if line.endswith("。") and width(line) <= full - 6:
            return True
    return False


def generate_volume(seed: int = 0, *, target_chars: int = 20000, edition_year: int | None = None,
                    volume_title: str = "苏州工业园区年鉴", sections: int | None = None,
                    title_page_articles: int = 2) -> Volume:
    """One volume of about ``target_chars`` characters and its expected parse."""
    g = Generator(seed)
    rng = g.rng
    edition = edition_year or rng.randint(2005, 2025)
    covered = edition - 1
    n_sections = sections or max(1, min(len(SECTIONS), target_chars // 150000 + 1))
    section_names = [SECTIONS[0]] + rng.sample(SECTIONS[1:], n_sections - 1)
    per_section = max(3, target_chars // (n_sections * 4000))
    expected: list[ExpectedSection] = []
    page_blocks: list[list[str]] = []  # each page: its lines (already with blank lines)
    table_no = 0
    title_page: list[str] = [f"{volume_title}（{edition}）"]
    used_titles: set[str] = set()
    chars = 0
    article_index = 0

    def new_page(first: str) -> list[str]:
        page = [" " + first]
        page_blocks.append(page)
        return page

    for s_index, s_name in enumerate(section_names):
        section = ExpectedSection(s_name)
        expected.append(section)
        n_articles = per_section if s_index < n_sections - 1 else max(
            3, (target_chars - chars) // 4000 + 1)
        for _ in range(n_articles):
            title = g.title()
            while title in used_titles:
                title = g.title() + rng.choice(["综述", "纪实", "回顾"])
            used_titles.add(title)
            attribution: str | None = rng.choice(DEPARTMENTS)[0]
            source_note = None
            if rng.random() < 0.12 and article_index >= title_page_articles:
                paper = rng.choice(NEWSPAPERS)
                source_note = (f"原载{covered}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
                               f"《{paper}》，有删改，记者：{rng.choice(PHOTOGRAPHERS)}、"
                               f"{rng.choice(PHOTOGRAPHERS)}")
                attribution = None
            art = ExpectedArticle(title, attribution, source_note)
            section.articles.append(art)
            on_title_page = s_index == 0 and article_index < title_page_articles
            title_lines = _title_lines(title)
            if on_title_page:
                title_page.extend(title_lines)
            # the article starts on a new page
            paragraphs: list[list[str]] = []
            n_paras = rng.randint(3, 9)
            for k in range(n_paras):
                if k and rng.random() < 0.12:
                    clause = g.clause()
                    while not "\u4e00" <= clause[0] <= "\u9fff":
                        clause = g.clause()
                    head = f"{rng.choice(TOPICS)}\u2003 {clause[:14]}"
                    art.paragraphs.append(re.sub(r"\s+", " ", head))
                    paragraphs.append([head])
                text, lines = g.paragraph(rng.randint(60, 700))
                art.paragraphs.append(text)
                paragraphs.append(lines)
                chars += len(text)
            body_lines = [ln for para in paragraphs for ln in para]
            photos = [g.caption(covered) for _ in range(rng.randint(0, 4))]
            for photo, _ in photos:
                art.photos.append(photo)
            table = None
            if rng.random() < 0.2 and source_note is None:
                table_no += 1
                table = g.table(table_no, attribution or rng.choice(DEPARTMENTS)[0])
                art.tables.append(table[0])
                art.attribution = table[0].attribution
                attribution = art.attribution
            # lay out: pages of 20-32 body lines; captions and running heads at page ends
            if on_title_page:
                page = new_page(body_lines[0])
            else:
                page = new_page(f"{s_name[0]}\u2003 {s_name[1:]}" if len(s_name) == 2
                                else "\u2003".join(s_name))
                page += [""] + title_lines
                page += ["", body_lines[0]]
            pending_photos = list(photos)
            per_page = rng.randint(20, 32)
            count = 1
            for line in body_lines[1:]:
                if count >= per_page:
                    if rng.random() < 0.6:
                        page += ["", title]
                    if pending_photos and rng.random() < 0.6:
                        _, cap_lines = pending_photos.pop(0)
                        page += [""] + cap_lines
                    page = new_page(line)
                    count = 1
                    continue
                page += ["", line]
                count += 1
            # the end: signature, source note or table, then remaining captions
            if table is not None:
                page += [""] + table[1]
            elif source_note is not None:
                note = f"（{source_note}）"
                cut = rng.randint(10, len(note) - 5)
                page += ["", note[:cut], "", note[cut:]]
            else:
                if rng.random() < 0.5:
                    page[-1] += f"{MARKER} （{attribution}）"
                else:
                    page[-1] += MARKER
                    page += ["", f"{MARKER} （{attribution}）"]
            for _, cap_lines in pending_photos:
                page += [""] + cap_lines
            article_index += 1
    text_pages = [" " + title_page[0]] + [x for t in title_page[1:] for x in ("", t)]
    out = "\n".join(text_pages) + "\n"
    for page in page_blocks:
        out += "\n".join(page) + "\n"
    return Volume(out, volume_title, edition, expected)


def _title_lines(title: str) -> list[str]:
    if "：" in title:
        head, tail = title.split("：", 1)
        return [head + "：", tail]
    return [title]
