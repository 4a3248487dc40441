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
    "大事记": "Chronology", "转到日期": "Go to date", "日期不详": "Date unknown",
    "{}日": "{}", "{}—{}日": "{}–{}", "{}日—{}月{}日": "{} – {}/{}", "{}年{}月": "{}-{:02d}",
    "{} 条大事": "{} events", "不是图片文件": "not an image file",
    "图片数据损坏或不完整": "damaged or incomplete image data",
    "图片过大（超过 {} 百万像素）": "image too large (more than {} megapixels)",
    "条大事": "events", "没有 {} 月。": "There is no month {}. ", "没有这一天。": "No such day. ",
    "区间的结束早于开始。": "The range ends before it starts. ",
    "日期无效：请写成 2020年1月29日、2020年2月、2020-01-29 或 2020-01-08/2020-01-19":
        "Not a date: write 2020-01-29, 2020-02, 2020年1月29日 or 2020-01-08/2020-01-19",
    "没有大事记条目": "No chronology entries",
    "历史上的今天": "On this day", "{}月{}日 · {} 条大事": "{}/{} · {} events",
    "{}月{}日": "{}/{}",
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
    "阅读": "Reader", "（图片未附）": "(no image attached)", "图片未附": "no image attached",
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


# the catalogue mode (编目)
ENGLISH.update({
    "CSV 中列出，但文件夹中没有": "listed in the CSV but not in the folder",
    "CSV 中未列出": "not in the CSV",
    "{} 张照片的说明都相符，请用 CSV 指定": "{} photos' captions match; name it in a CSV",
    "个文件可以附加": "files can be attached", "个文件无法使用": "files could not be used",
    "个未匹配": "not matched", "之后仍无图片的照片": "photos still without an image:",
    "之后又改过": "Changed again later", "从文件夹附加图片": "Attach images from a folder",
    "从文件夹附加图片…": "Attach images from a folder…", "依据": "By",
    "保存（Enter）": "Save (Enter)", "修改": "Edit", "修改历史": "History",
    "全选": "Select all", "全部照片": "All photos", "出处": "Source", "区间": "range",
    "原因": "Why", "可选：每行“文件名,照片编号”或“文件名,说明”":
        "Optional: rows of “file,photo id” or “file,caption”",
    "图片文件名": "Image file name", "地点": "Location",
    "处之后又改过的内容保留未动": "fields changed again later were kept",
    "处改动": "field changes", "备注": "Notes",
    "如 2020年1月29日、2020年2月、2020-01-08/2020-01-19":
        "e.g. 2020年1月29日, 2020年2月, 2020-01-08/2020-01-19",
    "尚未改动档案。": "Nothing has changed yet.", "已保存": "Saved", "已撤销": "Reverted",
    "已选": "Selected", "已附加": "Attached", "年": "year", "张": "photos", "张图片": "images",
    "所有文件 (*)": "All files (*)", "拖入的 {} 个文件": "{} dropped files", "撤销": "Undo",
    "撤销所选更改…": "Revert the selected change…", "放弃修改（Esc）": "Discard (Esc)",
    "文件名中没有照片编号或说明文字": "no photo id or caption in the name",
    "文件夹": "Folder", "无图片": "no image", "无日期": "no date", "无法预览": "Cannot preview",
    "日": "day", "月": "month", "有图片": "With image", "未保存": "Not saved",
    "未匹配的文件": "Unmatched file", "未选择照片": "No photo selected",
    "未附加": "Not attached", "来源类型": "Credit kind", "标题": "Title",
    "正在保存…": "Saving…", "正在匹配…": "Matching…", "正在附加…": "Attaching…",
    "正在附加图片…": "Attaching the image…", "没有改动": "Nothing changed",
    "没有照片的说明与文件名相符": "no photo's caption matches",
    "没有编号为 {} 的照片": "no photo {}", "照片 {} 已由 {} 匹配": "photo {} already matched by {}",
    "版权": "Rights", "用“、”分隔多个标签": "separate tags with “、”",
    "筛选照片：说明、地点、tag:标签…": "Filter photos: caption, location, tag:…",
    "编号": "id", "编目": "Catalogue", "缩略图": "Thumbnails", "缩略图大小": "Thumbnail size",
    "说明文字": "caption",
    "这些内容在这次更改之后又被修改过，已保留。也要撤销它们吗？":
        "These fields were changed again after this change and were kept. Revert them too?",
    "选中符合筛选的全部照片（Ctrl+A）": "Select every photo the filter matches (Ctrl+A)",
    "选择 CSV": "Choose a CSV", "选择 CSV…": "Choose a CSV…", "选择文件夹": "Choose a folder",
    "选择文件夹…": "Choose a folder…",
    "选择文件夹后点“预览匹配”；预览不会改动档案。":
        "Choose a folder, then “Preview”; a preview changes nothing.",
    "部分照片另有：": "Some photos also have: ", "采用图片的拍摄日期": "Use the image's date",
    "重做": "Redo", "附加": "Attach", "附加图片": "Attach image", "预览匹配": "Preview",
    "（多个值）": "(mixed)", "（多个值，不修改）": "(mixed: left alone)",
})

# the kiosk (sipviewer/ui/kiosk*.py)
ENGLISH.update({
    "← 返回": "← Back", "共 {} 条": "{} found", "卷与栏目": "Volumes and sections",
    "取消": "Cancel", "密码不正确": "Wrong PIN", "按年份": "By year",
    "无法理解这个检索词": "This search cannot be understood",
    "暂时无法完成，请稍后再试。": "This cannot be done just now; please try again.",
    "档案暂时无法打开，请联系工作人员。": "The archive cannot be opened; please ask the staff.",
    "清除": "Clear", "清除条件": "Clear search", "照片墙": "Photo wall", "确定": "OK",
    "空格": "Space", "管理员退出：请输入密码": "Administrator exit: enter the PIN",
    "苏州工业园区年鉴 · 档案查阅": "Suzhou Industrial Park Yearbook · Archive",
    "输入拼音或首字母，如 qhcs": "Type pinyin or initials, e.g. qhcs", "退格": "Backspace",
    "首页": "Home",
})


# the main window's parts (status messages, the import check report)
ENGLISH.update({
    "已导入": "imported", "未改动（此前已导入）": "unchanged (imported before)",
    "已替换": "replaced", "条大事": "events", "这一卷已不在档案中": "That volume is no longer in the archive",
    "{} 处待核对": "{} to check", "页": "Page", "原文": "Text", "判断": "Decision",
    "图片说明": "caption", "页眉": "running head", "署名": "signature", "；": "; ",
    "点击打开此页的文章": "Click to open the article on this page",
    "解析时没有把握的判断。点击一项，打开它所在的文章。":
        "Decisions the parser was not sure of. Click one to open its article.",
    "{}：解析时没有把握，请核对": "{}: the parser was not sure; please check",
    # the parser's decisions, as the command line's report words them
    "表格后的一行短文字被当作新文章的标题": "a short line after a table taken as a title",
    "像段落首行的一行短文字：按正文处理":
        "a short line shaped like a paragraph's first line: read as body text",
    "文章结束后出现没有标题的文字": "text with no title after an article's end",
    "没有标题行，也没有页眉：文章未加标题":
        "no title line and no running head: the article is left untitled",
    "文章没有标题行，也没有页眉：标题取自栏目页":
        "an article with no title line and no running head: titled from the title page",
    "文章末尾没有署名或出处": "the article ends with no signature or source note",
    "此处应为第 {1} 行，却见行号 {0}：并入上一行":
        "row number {0} where {1} was due: read as part of the row before",
    "表格末行之后没有来源行：表格无署名":
        "no source line after the last row: the table has no attribution",
    "只有供稿或摄影署名，没有说明文字：作为无说明的图片保留":
        "a credit with no caption text: kept as a photo without a caption",
    "排得像图片说明，但没有署名：按正文处理":
        "lines set like a caption but with no credit: read as body text",
    "文章标题在页面中部重复出现（页眉）：已删去":
        "the article's title repeated above the foot of the page: dropped",
    "第一条带日期的条目之前的文字：作为日期不详的条目保留":
        "text before the first dated entry: kept as an undated event",
    "不知道本卷的年份（导入时请指定年份）：{0} 条大事未注日期":
        "the volume's year is not known (give the year on import): {0} events kept without dates",
    "△ 之前没有条目：未注日期": "△ with no entry before it: kept without a date",
    "月份标题之前的带日期条目：未注日期":
        "a dated entry before any month heading: kept without a date",
    "{0}年{1}月没有这一天：未注日期": "no such day in {0}-{1}: kept without a date",
    # the core's messages about files, as the window's dialogs say them (ui/common.py)
    "{}：文件不存在": "{}: no such file", "{}：文件是空的": "{}: the file is empty",
    "{}：这是文件夹，不是文件": "{}: is a folder, not a file",
    "{}：这是二进制数据，不是文本文件": "{}: binary data, not a text file",
    "{}：无法识别文本的编码": "{}: cannot decode the text",
    "{}：解码后不是可读的中文文本": "{}: the text does not read as Chinese",
    "{}：文件太大": "{}: file too large", "{}：无法读取（{}）": "{}: cannot be read ({})",
    "{}：不是普通文件（设备或管道）": "{}: not a regular file (a device or a pipe)",
    "{}：没有中文文字，不是年鉴文本": "{}: no Chinese text: not a yearbook",
    "{}：找不到年鉴的结构（页面、标题、图片说明、表格或署名）":
        "{}: no yearbook structure found (no pages, titles, captions, tables or signatures)",
    "{}：档案中已有《{}》{} 的另一份文本（来自 {}），未导入":
        "{}: the archive already holds a different text of 《{}》 {} (from {}): not imported",
    "{}：无法写入（{}）": "{}: cannot write ({})", "文件夹不存在": "No such file or directory",
    "没有权限": "Permission denied", "只读的文件系统": "Read-only file system",
    "磁盘已满": "No space left on device",
})
INDIRECT += [
    "{}：文件不存在", "{}：文件是空的", "{}：这是文件夹，不是文件", "{}：这是二进制数据，不是文本文件",
    "{}：无法识别文本的编码", "{}：解码后不是可读的中文文本", "{}：文件太大", "{}：无法读取（{}）",
    "{}：不是普通文件（设备或管道）", "{}：没有中文文字，不是年鉴文本",
    "{}：找不到年鉴的结构（页面、标题、图片说明、表格或署名）",
    "{}：档案中已有《{}》{} 的另一份文本（来自 {}），未导入", "{}：无法写入（{}）",
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
