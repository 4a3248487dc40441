"""Write resources/i18n/sipviewer_en.ts from the interface strings and compile it to .qm.

    python packaging/make_translations.py

The interface is written in Chinese (its users are Chinese archive staff); this English
translation is what ``sipviewer --lang en`` and an English system locale show. A string
without an English entry below makes the script fail, so new strings are not forgotten.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
CALL = re.compile(r"(?<![\w.])t\(\s*([\"'])(.+?)\1\s*\)")

ENGLISH = {
    "← 上一张": "← Previous", "下一张 →": "Next →", "上一处匹配": "Previous match",
    "下一处匹配": "Next match", "不详": "unknown", "从": "From", "到": "To",
    "全部卷": "All volumes", "全部年份": "All years", "关于 sipviewer": "About sipviewer",
    "出错了": "Something went wrong", "卷": "Volume", "图片": "Photos",
    "发生了意外错误，您的数据没有丢失。": "An unexpected error occurred. Your data is safe.",
    "在左侧目录中选择一篇文章，或在上方搜索。":
        "Choose an article in the contents on the left, or search above.",
    "复制所选": "Copy selection", "完成": "Done",
    "待核对 {} 处": "{} to check", "解析时没有把握的判断，请核对":
        "Decisions the parser was not sure of: please check them", "导入待核对": "Import: to check",
    "导入失败，档案未作任何改动": "Import failed; the archive was not changed",
    "导入年鉴文本": "Import yearbook text", "导入年鉴文本…": "Import yearbook text…",
    "导出 CSV": "Export CSV", "导出 CSV…": "Export CSV…", "导出 PDF": "Export PDF",
    "导出文章为 PDF…": "Export article as PDF…", "导出照片目录": "Export photo catalogue",
    "导出照片目录…": "Export photo catalogue…", "已导出：": "Exported: ", "帮助": "Help",
    "所在文章": "Article", "打印文章…": "Print article…", "搜索": "Search",
    "放大文字": "Larger text", "文件": "File", "文字原始大小": "Normal text size",
    "文本文件 (*.txt);;所有文件 (*)": "Text files (*.txt);;All files (*)", "文章": "Articles",
    "无法打开档案": "Cannot open the archive", "日期": "Date",
    "日期格式：YYYY、YYYY-MM 或 YYYY-MM-DD": "Dates: YYYY, YYYY-MM or YYYY-MM-DD",
    "来源": "Credit", "标签": "Tags", "检索": "Search", "检索结果": "Results",
    "止 YYYY[-MM[-DD]]": "to YYYY[-MM[-DD]]", "起 YYYY[-MM[-DD]]": "from YYYY[-MM[-DD]]",
    "正在写入档案": "Writing the archive", "正在导入…": "Importing…",
    "正在建立检索索引": "Building the search index", "检索索引已就绪": "The search index is ready",
    "检索将在完成后进行": "searches run when it is done",
    "正在准备检索索引…": "Preparing the search index…", "正在导入": "Importing",
    "导入尚未完成。现在退出将放弃这次导入，档案保持导入前的样子。仍要退出吗？":
        "The import has not finished. Quitting now abandons it and leaves the archive as it "
        "was before. Quit anyway?", "正在打开档案…": "Opening the archive…",
    "正在解析": "Parsing", "正在读取档案": "Reading the archive",
    "清除全部筛选": "Clear all filters", "清除此筛选": "Clear this filter", "照片": "Photos",
    "目录": "Contents", "筛选": "Filters", "筛选部门…": "Filter departments…", "类型": "Kind",
    "缩小文字": "Smaller text", "表格": "Tables", "视图": "View", "说明": "Caption",
    "输入检索词，或在“筛选”中选择条件。": "Type words to search, or choose filters.",
    "退出": "Quit", "部门": "Department", "部门与作者": "Departments and photographers",
    "阅读": "Reader", "（图片未附）": "(no image attached)",
    "中文字体：Noto Sans CJK SC（SIL OFL 1.1）": "Chinese font: Noto Sans CJK SC (SIL OFL 1.1)",
    "供稿": "supplied", "共": "Total", "匹配": "Match", "只读": "read-only", "图": "Ph.",
    "在表格窗口中打开": "open in a table window",
    "地方年鉴档案离线阅读与编目工具": "Offline viewer and catalogue for local yearbook archives",
    "{}年": "{}", "张照片": "photos", "张表格": "tables", "摄": "photo", "显示前": "showing the first",
    "条": "hits", "第{}页": "p. {}", "篇": "articles", "篇文章": "articles", "表": "Table ",
    "导出失败": "Export failed", "正在导出…": "Exporting…",
    "（无标题）": "(untitled)", "搜索全文（Ctrl+F）：园区 经发委、\"自由贸易\"、-疫情、title:自贸":
        "Search the full text (Ctrl+F): 园区 经发委, \"自由贸易\", -疫情, title:自贸",
}
ENGLISH.update({  # charts, the year range and histogram, dialogs, messages
    "PNG 图片 (*.png)": "PNG image (*.png)", "{0}年{1}月只有 {2} 天": "{1}/{0} has only {2} days",
    "{} 行无数值，未绘出": "{} rows without a number are not drawn", "{}–{}年": "{}–{}",
    "保存": "Save", "取消": "Cancel", "图表": "Chart", "图表已导出：": "Chart exported: ",
    "导出图表 PNG": "Export chart as PNG", "导出图表 PNG…": "Export chart as PNG…",
    "已导出 {} 行：": "Exported {} rows: ", "年份范围": "Year range", "打开": "Open",
    "折线图": "Line", "柱状图": "Bars", "数值列": "Values", "标签列": "Labels",
    "拖动两端选择年份范围；键盘：方向键移动，空格切换两端":
        "Drag either end to choose the years; keyboard: arrow keys move, Space switches ends",
    "文件名：": "File name:", "文件类型：": "Files of type:", "查找范围：": "Look in:",
    "无法写入文件": "cannot write the file", "月份应为 1–12": "The month must be 1–12",
    "此表没有数值列，无法作图。": "This table has no numeric column to chart.",
    "没有带日期的记录": "No dated records", "点击柱条：只看这一年": "Click a bar: just that year",
    "起始日期晚于结束日期": "The start date is after the end date",
    "部门与作者（可多选，任一匹配）": "Departments and photographers (any of those ticked)",
    "{}卷": "volume {}", "打印预览": "Print preview", "打印预览…": "Print preview…",
    "第 {} 页，共 {} 页": "Page {} of {}",
    "“{0}:” 后面需要一个词": "“{0}:” needs a word after it", "大事记": "Events",
    "按卷序": "Volume order", "按日期（新→旧）": "Date, newest first",
    "按日期（旧→新）": "Date, oldest first", "按相关度": "Best match",
    "检索词太长（{} 个字符，最多 {} 个）": "The query is too long ({} characters; at most {})",
    "没有这一天：{}": "No such day: {}", "结果与图片的排列顺序": "Order of the results and photos",
    "部门名称为空": "The department name is empty",
    "另有 {} 匹配": "also {} match", "文件夹": "Folder", "查看检索结果（Ctrl+2）": "show the results (Ctrl+2)",
})


INDIRECT = [  # interface strings translated through a variable (t(message), t(label))
    "检索词太长（{} 个字符，最多 {} 个）", "“{0}:” 后面需要一个词", "没有这一天：{}", "部门名称为空",
    "按相关度", "按日期（旧→新）", "按日期（新→旧）", "按卷序", "大事记",
]


def strings() -> list[str]:
    found: set[str] = set(INDIRECT)
    for path in (ROOT / "sipviewer" / "ui").glob("*.py"):
        for m in CALL.finditer(path.read_text(encoding="utf-8")):
            found.add(m.group(2).replace('\\"', '"'))
    return sorted(found)


def main() -> int:
    texts = strings()
    missing = [s for s in texts if s not in ENGLISH]
    if missing:
        print("no English for: " + ", ".join(missing), file=sys.stderr)
        return 1
    out = ROOT / "resources" / "i18n" / "sipviewer_en.ts"
    body = "".join(f"    <message>\n        <source>{escape(s)}</source>\n"
                   f"        <translation>{escape(ENGLISH[s])}</translation>\n    </message>\n"
                   for s in texts)
    out.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                   '<TS version="2.1" language="en" sourcelanguage="zh_CN">\n<context>\n'
                   f"    <name>sipviewer</name>\n{body}</context>\n</TS>\n", encoding="utf-8")
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    subprocess.run([str(lrelease), str(out), "-qm", str(out.with_suffix(".qm"))], check=True)
    print(f"{len(texts)} strings → {out.with_suffix('.qm')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
