"""Generate whole yearbook volumes in the layout of the sample, with the expected parse.

Used by the tests (variants the parser has never seen: other titles, departments,
photographers, table numbers and sizes, date forms) and by the benchmarks (30 volumes of
about a million characters). The text is recombined from the clauses of the bundled sample,
with numbers, places and names varied, and laid out as the PDF extractor lays out a page.
Every layout fact below is taken from the sample (line numbers of
``resources/sample/sip-yearbook-2021-zhuanji.txt``) or from how a whole volume is printed:

* a page starts with one space added to its first line, whatever that line is: a section
  head, a title, a paragraph, a table heading (itself indented: ``    表1  …``, l. 917), a
  table row or a caption; every page counts;
* hard-wrapped body lines with blank lines between them, indented paragraph starts;
* several sections in order; the section head (``专  记``, l. 473, or ``专\u2003 记``)
  opens a section's first page and stands on top of some later pages; the volume's own
  name may stand on top of a page where there is no title page;
* an optional title page: the volume's name and the titles of the first articles of each
  section (l. 1–7), a long title broken after ``：`` with the first line ending ``： ``;
* articles start on a new page under the section head with a title (l. 473–476), in the
  middle of a page right after the previous article's signature and captions, or at the top
  of a page with no title line at all (l. 8, l. 208): such an article's title is then
  printed as the running head at the foot of its first page (l. 100, l. 332);
* the current article's title alone on a line at the foot of some pages (running head),
  then the photo captions that stand on that page (l. 100–106);
* captions: lines without blank lines between them, the credit ``（园区新闻中心  供稿）`` /
  ``（陈雨禾  摄）`` at the end of the last line or on a line of its own (l. 105–106); a
  caption belongs to the article on whose page it stands (the one going on at the foot of
  the page, or the one that just ended when it stands right after a signature, l. 472);
* an article ends with its department's signature (at the end of its last line or on a line
  of its own, l. 1207, l. 201) or a source note (l. 693–695);
* tables (l. 917–992): heading ``表N  title`` (possibly the first line of a page), a
  letter-spaced header line, numbered rows; a category cell on a line of its own after a row
  number alone; cells wrapped over lines ending in a marker; a unit in brackets wrapped
  inside its cell (``（微克`` / ``/立方米）``); rows go on over page breaks with no repeated
  header (running head and captions at the foot of the page between two rows); the source
  line ``� （部门）`` right after the last row; the article goes on after the table (on the
  same page or the next) or ends with it (the source line then signs the article too).

The manifest (`Volume`) is the oracle of the property tests: every article's title,
attribution, source note, pages and section; every photo's caption, credit, dates and page;
every table's number, title, header, cells, attribution and page.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from sipviewer.model.textutil import MARKER, char_width, width

# 大事记 is read by the chronicle reader (its own layout and generator), not as articles
SECTIONS = ["专记", "特载", "经济发展", "城市建设", "社会事业", "开放合作", "科技创新", "文化旅游"]
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
    page: int = 0


@dataclass
class ExpectedTable:
    number: int
    title: str
    columns: list[str]
    rows: list[list[str]]
    attribution: str
    page: int = 0


@dataclass
class ExpectedArticle:
    title: str
    attribution: str | None
    source_note: str | None
    paragraphs: list[str] = field(default_factory=list)
    photos: list[ExpectedPhoto] = field(default_factory=list)
    tables: list[ExpectedTable] = field(default_factory=list)
    pages: tuple[int, int] = (0, 0)
    section: str = ""
    headless: bool = False  # starts at the top of a page with no title line


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
    pages: int = 0

    @property
    def articles(self) -> list[ExpectedArticle]:
        return [a for s in self.sections for a in s.articles]

    @property
    def photos(self) -> list[ExpectedPhoto]:
        return [p for a in self.articles for p in a.photos]

    @property
    def tables(self) -> list[ExpectedTable]:
        return [t for a in self.articles for t in a.tables]


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
        # typographic conventions vary between volumes (the sample uses ASCII spaces)
        self.em = self.rng.random() < 0.5
        self.table_indent = "\u2003\u2003 " if self.em else "    "
        self.gap = "\u2003 " if self.em else "  "

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
        credit_text = f"（{credit}{self.gap}{tail}）"
        if rng.random() < 0.5:
            lines[-1] += f"{MARKER} {credit_text}"
        else:
            lines[-1] += MARKER
            lines.append(f"{MARKER} {credit_text}")
        return ExpectedPhoto(text, start, end, precision, credit, kind), lines

    def table(self, number: int, dept: str) -> tuple[ExpectedTable, list[list[str]]]:
        """A table and its lines, grouped: heading, header, one group per row, source line.

        A page may break between two groups (rows go on over page breaks), never inside one.
        """
        rng = self.rng
        year = rng.randint(2015, 2024)
        title = f"园区“十{rng.choice('三四')}五”时期{rng.choice(TOPICS)}指标执行情况"
        columns = ["序号", "类别", "指标名称", f"{year}年目标值", f"{year}年完成值", "指标属性"]
        g = self.gap
        header = f"序{g}号 类{g}别 指标名称 {year}年目标值 {year}年完成值 指标属性"
        rows: list[list[str]] = []
        groups = [[f"{self.table_indent}表{number}{g}{title}"], [header]]
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
                form = rng.random()
                if form < 0.12:  # cells wrapped over lines ending in a marker (l. 955–962)
                    target = "高于地区生产总值增幅"
                    done = "与地区生产总值增长同步"
                elif form < 0.2:  # a unit in brackets wrapped inside its cell
                    unit = rng.choice(["微克 /立方米", "千克 /万元", "平方米 /人"])
                    head, tail = unit.split(" ", 1)
                    name = f"{rng.choice(['PM2.5平均浓度', '万元地区生产总值COD排放强度', '人均住房面积'])}（"
                    wrapped_name = (name + head, tail + "）")
                    name = name + head + tail + "）"
                rows.append([str(n), category, name, target, done, prop])
                lead = [str(n), category] if k == 0 else []
                number_text = "" if k == 0 else f"{n} "
                if form < 0.12:
                    group = [f"{number_text}{name}\n高于地区生产{MARKER}", f"总值增幅\n与地区生产总值{MARKER}",
                             f"增长同步\n{prop}"]
                elif form < 0.2:
                    group = [f"{number_text}{wrapped_name[0]}",
                             f"{wrapped_name[1]} {target} {done} {prop}"]
                else:
                    gap = " " * rng.choice([1, 1, 13])
                    group = [f"{number_text}{name} {gap}{target} {done} {prop}"]
                groups.append(lead + group)
                n += 1
        groups.append([f"{MARKER} （{dept}）"])
        return ExpectedTable(number, title, columns, rows, dept), groups


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


def _title_lines(title: str) -> list[str]:
    """A long title is broken after its colon; the first line keeps a space (l. 3, l. 475)."""
    if "：" in title:
        head, tail = title.split("：", 1)
        return [head + "： ", tail]
    return [title]


def section_head(name: str, gap: str) -> str:
    """The letter-spaced section head printed on top of a page: ``专  记``, ``大\u2003 事\u2003 记``."""
    return gap.join(name)


class _Layout:
    """Pages being filled: body lines count against the page's capacity; heads, captions do not."""

    def __init__(self, g: Generator, volume_head: str | None) -> None:
        self.g = g
        self.rng = g.rng
        self.pages: list[list[str]] = []
        self.capacity = 0
        self.count = 0
        self.section = ""
        self.volume_head = volume_head
        self.article: ExpectedArticle | None = None
        self.pending: list[tuple[ExpectedPhoto, list[str]]] = []  # the current article's photos
        self.must_head = False  # the foot of this page must carry the article's title
        self.pages_of: dict[int, set[int]] = {}

    @property
    def page_no(self) -> int:
        return len(self.pages)

    def new_page(self, *, section_head_forced: bool = False, capacity: int | None = None) -> None:
        self.pages.append([])
        self.count = 0
        self.capacity = capacity or self.rng.randint(16, 30)
        r = self.rng.random()
        if section_head_forced or r < 0.35:
            self.put(section_head(self.section, self.g.gap))
        elif self.volume_head and r < 0.55:
            self.put(self.volume_head)

    def put(self, line: str, *, blank: bool = True) -> None:
        """Append a line to the page (the page's first line gets the page-start space)."""
        page = self.pages[-1]
        if not page:
            page.append(" " + line)
            return
        if blank:
            page.append("")
        page.append(line)

    def mark(self) -> None:
        if self.article is not None:
            self.pages_of.setdefault(id(self.article), set()).add(self.page_no)

    def room(self, lines: int) -> bool:
        return self.count + lines <= self.capacity

    def body(self, line: str) -> None:
        """A body line (or a table row's first line); the page breaks when it is full."""
        if not self.room(1):
            self.break_page()
        self.put(line)
        self.count += 1
        self.mark()

    def captions(self, k: int) -> None:
        for _ in range(min(k, len(self.pending))):
            photo, lines = self.pending.pop(0)
            photo.page = self.page_no
            self.put(lines[0])
            for ln in lines[1:]:
                self.put(ln, blank=False)
            self.mark()

    def break_page(self, **kw: object) -> None:
        art = self.article
        if art is not None and (self.must_head or self.rng.random() < 0.5):
            self.put(art.title)
        self.must_head = False
        if self.pending and self.rng.random() < 0.5:
            self.captions(self.rng.randint(1, 2))
        self.new_page(**kw)  # type: ignore[arg-type]


def _article_content(g: Generator, art: ExpectedArticle) -> list[list[str]]:
    """The article's paragraphs as lists of wrapped lines (also filling ``art.paragraphs``)."""
    rng = g.rng
    paragraphs: list[list[str]] = []
    for k in range(rng.randint(3, 9)):
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
    return paragraphs


def _lay_out_table(lay: _Layout, groups: list[list[str]]) -> None:
    heading, *rest = groups
    if not lay.room(3):  # a heading is not left alone at the foot of a page
        lay.break_page()
    lay.body(heading[0])
    assert lay.article is not None
    lay.article.tables[-1].page = lay.page_no
    for group in rest:
        lay.body(group[0])
        for line in group[1:]:
            lay.put(line)
    lay.mark()


def _signature(lay: _Layout, art: ExpectedArticle) -> None:
    rng = lay.rng
    if art.source_note is not None:
        note = f"（{art.source_note}）"
        cut = rng.randint(10, len(note) - 5)
        lay.body(note[:cut])
        lay.put(note[cut:])
    elif rng.random() < 0.5:
        lay.pages[-1][-1] += f"{MARKER} （{art.attribution}）"
    else:
        lay.pages[-1][-1] += MARKER
        lay.put(f"{MARKER} （{art.attribution}）")
    lay.mark()


def generate_volume(seed: int = 0, *, target_chars: int = 20000, edition_year: int | None = None,
                    volume_title: str = "苏州工业园区年鉴", sections: int | None = None,
                    title_page_articles: int = 2,
                    section_names: list[str] | None = None) -> Volume:
    """One volume of about ``target_chars`` characters and its expected parse.

    ``title_page_articles``: how many first titles of each section the title page lists
    (with 0, the volume may have no title page and name itself in page heads instead).
    ``section_names``: the sections' names, in order (default: 专记, then others drawn at
    random); the volume is otherwise the one the same seed gives with as many sections.
    """
    g = Generator(seed)
    rng = g.rng
    edition = edition_year or rng.randint(2005, 2025)
    covered = edition - 1
    n_sections = len(section_names) if section_names else \
        sections or max(1, min(len(SECTIONS), target_chars // 15000 + 1))
    drawn = [SECTIONS[0]] + rng.sample(SECTIONS[1:], n_sections - 1)
    section_names = list(section_names) if section_names else drawn
    per_section = max(3, target_chars // (n_sections * 2500))
    has_title_page = title_page_articles > 0 or rng.random() < 0.5
    volume_name = f"{volume_title}（{edition}）"
    lay = _Layout(g, None if has_title_page else volume_name)
    title_page: list[str] = [volume_name]
    if has_title_page:
        lay.pages.append([])
        lay.put(volume_name)
    expected: list[ExpectedSection] = []
    used_titles: set[str] = set()
    table_no = 0
    for s_name in section_names:
        section = ExpectedSection(s_name)
        expected.append(section)
        lay.section = s_name
        for a_index in range(per_section):
            title = _unique_title(g, used_titles)
            art = _new_article(g, title, covered, s_name)
            section.articles.append(art)
            if a_index < title_page_articles:
                title_page.extend(_title_lines(title))
            paragraphs = _article_content(g, art)
            photos = [g.caption(covered) for _ in range(rng.randint(0, 4))]
            art.photos = [p for p, _ in photos]
            table, table_at = _maybe_table(g, art, len(paragraphs), table_no + 1)
            table_no += table is not None
            _lay_out_article(lay, art, paragraphs, photos, table, table_at, first=a_index == 0)
    if has_title_page:
        for line in title_page[1:]:
            lay.pages[0] += ["", line]
    for art in (a for s in expected for a in s.articles):
        pages = lay.pages_of[id(art)]
        art.pages = (min(pages), max(pages))
    out = "".join("\n".join(page) + "\n" for page in lay.pages)
    return Volume(out, volume_title, edition, expected, len(lay.pages))


def _unique_title(g: Generator, used: set[str]) -> str:
    title = g.title()
    while title in used:
        title = g.title() + g.rng.choice(["综述", "纪实", "回顾"])
    used.add(title)
    return title


def _maybe_table(g: Generator, art: ExpectedArticle, n_paragraphs: int, number: int
                 ) -> tuple[tuple[ExpectedTable, list[list[str]]] | None, int | None]:
    """A table for a quarter of the articles: in the middle (after a paragraph) or at the end."""
    rng = g.rng
    if rng.random() >= 0.25:
        return None, None
    dept = rng.choice(DEPARTMENTS)[0]
    at_end = art.source_note is None and rng.random() < 0.5
    if at_end:
        dept = art.attribution or dept
    table = g.table(number, dept)
    art.tables.append(table[0])
    return table, n_paragraphs if at_end else rng.randint(1, n_paragraphs - 1)


def _new_article(g: Generator, title: str, covered: int, section: str) -> ExpectedArticle:
    rng = g.rng
    attribution: str | None = rng.choice(DEPARTMENTS)[0]
    source_note = None
    if rng.random() < 0.12:
        paper = rng.choice(NEWSPAPERS)
        source_note = (f"原载{covered}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
                       f"《{paper}》，有删改，记者：{rng.choice(PHOTOGRAPHERS)}、"
                       f"{rng.choice(PHOTOGRAPHERS)}")
        attribution = None
    return ExpectedArticle(title, attribution, source_note, section=section)


def _lay_out_article(lay: _Layout, art: ExpectedArticle, paragraphs: list[list[str]],
                     photos: list[tuple[ExpectedPhoto, list[str]]],
                     table: tuple[ExpectedTable, list[list[str]]] | None, table_at: int | None,
                     *, first: bool) -> None:
    headless = _begin_article(lay, art, photos, sum(len(p) for p in paragraphs), first)
    if not headless:
        for line in _title_lines(art.title):
            lay.body(line)
    for k, para in enumerate(paragraphs):
        if table is not None and k == table_at:
            _lay_out_table(lay, table[1])
        for line in para:
            lay.body(line)
    if table is not None and table_at == len(paragraphs):
        _lay_out_table(lay, table[1])  # its source line signs the article too
        art.attribution = table[0].attribution
    else:
        _signature(lay, art)
    lay.captions(len(lay.pending))  # the rest stand right after the signature


def _begin_article(lay: _Layout, art: ExpectedArticle, photos: list[tuple[ExpectedPhoto, list[str]]],
                   n_lines: int, first: bool) -> bool:
    """Where the article starts: a new page (maybe with no title line) or mid-page.

    Returns True for an article with no title line: it starts at the top of a page and its
    first page ends before it does, with its title as the running head at the foot.
    """
    rng = lay.rng
    start = rng.random()
    headless = False
    if first or not lay.pages or start < 0.25:
        # a new page: a section's first page always carries its head
        headless = n_lines >= 4 and (start < 0.12 or (first and start < 0.3))
        capacity = rng.randint(2, min(20, n_lines - 1)) if headless else None
        if lay.pages and lay.article is not None:
            lay.break_page(section_head_forced=first, capacity=capacity)
        else:
            lay.new_page(section_head_forced=first or not lay.pages, capacity=capacity)
    elif not lay.room(len(_title_lines(art.title)) + 2):  # no title at the foot of a page
        lay.break_page()
    lay.article, lay.pending = art, list(photos)
    art.headless = headless
    lay.must_head = headless
    return headless
