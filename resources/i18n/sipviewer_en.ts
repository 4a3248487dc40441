<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>sipviewer</name>
    <message>
        <source>CSV 中列出，但文件夹中没有</source>
        <translation>listed in the CSV but not in the folder</translation>
    </message>
    <message>
        <source>CSV 中未列出</source>
        <translation>not in the CSV</translation>
    </message>
    <message>
        <source>PNG 图片 (*.png)</source>
        <translation>PNG image (*.png)</translation>
    </message>
    <message>
        <source>{0}年{1}月只有 {2} 天</source>
        <translation>{1}/{0} has only {2} days</translation>
    </message>
    <message>
        <source>{0}年{1}月没有这一天：未注日期</source>
        <translation>no such day in {0}-{1}: kept without a date</translation>
    </message>
    <message>
        <source>{} 处待核对</source>
        <translation>{} to check</translation>
    </message>
    <message>
        <source>{} 张照片的说明都相符，请用 CSV 指定</source>
        <translation>{} photos' captions match; name it in a CSV</translation>
    </message>
    <message>
        <source>{} 条大事</source>
        <translation>{} events</translation>
    </message>
    <message>
        <source>{} 行无数值，未绘出</source>
        <translation>{} rows without a number are not drawn</translation>
    </message>
    <message>
        <source>{}–{}年</source>
        <translation>{}–{}</translation>
    </message>
    <message>
        <source>{}—{}日</source>
        <translation>{}–{}</translation>
    </message>
    <message>
        <source>{}卷</source>
        <translation>volume {}</translation>
    </message>
    <message>
        <source>{}年</source>
        <translation>{}</translation>
    </message>
    <message>
        <source>{}年{}月</source>
        <translation>{}-{:02d}</translation>
    </message>
    <message>
        <source>{}日</source>
        <translation>{}</translation>
    </message>
    <message>
        <source>{}日—{}月{}日</source>
        <translation>{} – {}/{}</translation>
    </message>
    <message>
        <source>{}月{}日</source>
        <translation>{}/{}</translation>
    </message>
    <message>
        <source>{}月{}日 · {} 条大事</source>
        <translation>{}/{} · {} events</translation>
    </message>
    <message>
        <source>{}：不是普通文件（设备或管道）</source>
        <translation>{}: not a regular file (a device or a pipe)</translation>
    </message>
    <message>
        <source>{}：找不到年鉴的结构（页面、标题、图片说明、表格或署名）</source>
        <translation>{}: no yearbook structure found (no pages, titles, captions, tables or signatures)</translation>
    </message>
    <message>
        <source>{}：文件不存在</source>
        <translation>{}: no such file</translation>
    </message>
    <message>
        <source>{}：文件太大</source>
        <translation>{}: file too large</translation>
    </message>
    <message>
        <source>{}：文件是空的</source>
        <translation>{}: the file is empty</translation>
    </message>
    <message>
        <source>{}：无法写入（{}）</source>
        <translation>{}: cannot write ({})</translation>
    </message>
    <message>
        <source>{}：无法识别文本的编码</source>
        <translation>{}: cannot decode the text</translation>
    </message>
    <message>
        <source>{}：无法读取（{}）</source>
        <translation>{}: cannot be read ({})</translation>
    </message>
    <message>
        <source>{}：档案中已有《{}》{} 的另一份文本（来自 {}），未导入</source>
        <translation>{}: the archive already holds a different text of 《{}》 {} (from {}): not imported</translation>
    </message>
    <message>
        <source>{}：没有中文文字，不是年鉴文本</source>
        <translation>{}: no Chinese text: not a yearbook</translation>
    </message>
    <message>
        <source>{}：解析时没有把握，请核对</source>
        <translation>{}: the parser was not sure; please check</translation>
    </message>
    <message>
        <source>{}：解码后不是可读的中文文本</source>
        <translation>{}: the text does not read as Chinese</translation>
    </message>
    <message>
        <source>{}：这是二进制数据，不是文本文件</source>
        <translation>{}: binary data, not a text file</translation>
    </message>
    <message>
        <source>{}：这是文件夹，不是文件</source>
        <translation>{}: is a folder, not a file</translation>
    </message>
    <message>
        <source>“{0}:” 后面需要一个词</source>
        <translation>“{0}:” needs a word after it</translation>
    </message>
    <message>
        <source>← 上一张</source>
        <translation>← Previous</translation>
    </message>
    <message>
        <source>← 返回</source>
        <translation>← Back</translation>
    </message>
    <message>
        <source>△ 之前没有条目：未注日期</source>
        <translation>△ with no entry before it: kept without a date</translation>
    </message>
    <message>
        <source>上一处匹配</source>
        <translation>Previous match</translation>
    </message>
    <message>
        <source>下一处匹配</source>
        <translation>Next match</translation>
    </message>
    <message>
        <source>下一张 →</source>
        <translation>Next →</translation>
    </message>
    <message>
        <source>不是图片文件</source>
        <translation>not an image file</translation>
    </message>
    <message>
        <source>不知道本卷的年份（导入时请指定年份）：{0} 条大事未注日期</source>
        <translation>the volume's year is not known (give the year on import): {0} events kept without dates</translation>
    </message>
    <message>
        <source>不详</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>个文件可以附加</source>
        <translation>files can be attached</translation>
    </message>
    <message>
        <source>个文件无法使用</source>
        <translation>files could not be used</translation>
    </message>
    <message>
        <source>个未匹配</source>
        <translation>not matched</translation>
    </message>
    <message>
        <source>中文字体：Noto Sans CJK SC（SIL OFL 1.1）</source>
        <translation>Chinese font: Noto Sans CJK SC (SIL OFL 1.1)</translation>
    </message>
    <message>
        <source>之后仍无图片的照片</source>
        <translation>photos still without an image:</translation>
    </message>
    <message>
        <source>之后又改过</source>
        <translation>Changed again later</translation>
    </message>
    <message>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <source>从文件夹附加图片</source>
        <translation>Attach images from a folder</translation>
    </message>
    <message>
        <source>从文件夹附加图片…</source>
        <translation>Attach images from a folder…</translation>
    </message>
    <message>
        <source>供稿</source>
        <translation>supplied</translation>
    </message>
    <message>
        <source>依据</source>
        <translation>By</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>保存（Enter）</source>
        <translation>Save (Enter)</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>修改历史</source>
        <translation>History</translation>
    </message>
    <message>
        <source>像段落首行的一行短文字：按正文处理</source>
        <translation>a short line shaped like a paragraph's first line: read as body text</translation>
    </message>
    <message>
        <source>全选</source>
        <translation>Select all</translation>
    </message>
    <message>
        <source>全部卷</source>
        <translation>All volumes</translation>
    </message>
    <message>
        <source>全部年份</source>
        <translation>All years</translation>
    </message>
    <message>
        <source>全部照片</source>
        <translation>All photos</translation>
    </message>
    <message>
        <source>共</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>共 {} 条</source>
        <translation>{} found</translation>
    </message>
    <message>
        <source>关于 sipviewer</source>
        <translation>About sipviewer</translation>
    </message>
    <message>
        <source>出处</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>出错了</source>
        <translation>Something went wrong</translation>
    </message>
    <message>
        <source>判断</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>到</source>
        <translation>To</translation>
    </message>
    <message>
        <source>匹配</source>
        <translation>Match</translation>
    </message>
    <message>
        <source>区间</source>
        <translation>range</translation>
    </message>
    <message>
        <source>区间的结束早于开始。</source>
        <translation>The range ends before it starts. </translation>
    </message>
    <message>
        <source>卷</source>
        <translation>Volume</translation>
    </message>
    <message>
        <source>卷与栏目</source>
        <translation>Volumes and sections</translation>
    </message>
    <message>
        <source>历史上的今天</source>
        <translation>On this day</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>原文</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>发生了意外错误，您的数据没有丢失。</source>
        <translation>An unexpected error occurred. Your data is safe.</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>另有 {} 匹配</source>
        <translation>also {} match</translation>
    </message>
    <message>
        <source>只有供稿或摄影署名，没有说明文字：作为无说明的图片保留</source>
        <translation>a credit with no caption text: kept as a photo without a caption</translation>
    </message>
    <message>
        <source>只读</source>
        <translation>read-only</translation>
    </message>
    <message>
        <source>只读的文件系统</source>
        <translation>Read-only file system</translation>
    </message>
    <message>
        <source>可选：每行“文件名,照片编号”或“文件名,说明”</source>
        <translation>Optional: rows of “file,photo id” or “file,caption”</translation>
    </message>
    <message>
        <source>图</source>
        <translation>Ph.</translation>
    </message>
    <message>
        <source>图片</source>
        <translation>Photos</translation>
    </message>
    <message>
        <source>图片数据损坏或不完整</source>
        <translation>damaged or incomplete image data</translation>
    </message>
    <message>
        <source>图片文件名</source>
        <translation>Image file name</translation>
    </message>
    <message>
        <source>图片未附</source>
        <translation>no image attached</translation>
    </message>
    <message>
        <source>图片说明</source>
        <translation>caption</translation>
    </message>
    <message>
        <source>图片过大（超过 {} 百万像素）</source>
        <translation>image too large (more than {} megapixels)</translation>
    </message>
    <message>
        <source>图表</source>
        <translation>Chart</translation>
    </message>
    <message>
        <source>图表已导出：</source>
        <translation>Chart exported: </translation>
    </message>
    <message>
        <source>在左侧目录中选择一篇文章，或在上方搜索。</source>
        <translation>Choose an article in the contents on the left, or search above.</translation>
    </message>
    <message>
        <source>在表格窗口中打开</source>
        <translation>open in a table window</translation>
    </message>
    <message>
        <source>地方年鉴档案离线阅读与编目工具</source>
        <translation>Offline viewer and catalogue for local yearbook archives</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>处之后又改过的内容保留未动</source>
        <translation>fields changed again later were kept</translation>
    </message>
    <message>
        <source>处改动</source>
        <translation>field changes</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>复制所选</source>
        <translation>Copy selection</translation>
    </message>
    <message>
        <source>大事记</source>
        <translation>Events</translation>
    </message>
    <message>
        <source>如 2020年1月29日、2020年2月、2020-01-08/2020-01-19</source>
        <translation>e.g. 2020年1月29日, 2020年2月, 2020-01-08/2020-01-19</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>密码不正确</source>
        <translation>Wrong PIN</translation>
    </message>
    <message>
        <source>导入失败，档案未作任何改动</source>
        <translation>Import failed; the archive was not changed</translation>
    </message>
    <message>
        <source>导入尚未完成。现在退出将放弃这次导入，档案保持导入前的样子。仍要退出吗？</source>
        <translation>The import has not finished. Quitting now abandons it and leaves the archive as it was before. Quit anyway?</translation>
    </message>
    <message>
        <source>导入年鉴文本</source>
        <translation>Import yearbook text</translation>
    </message>
    <message>
        <source>导入年鉴文本…</source>
        <translation>Import yearbook text…</translation>
    </message>
    <message>
        <source>导入待核对</source>
        <translation>Import: to check</translation>
    </message>
    <message>
        <source>导出 CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <source>导出 CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <source>导出 PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <source>导出图表 PNG</source>
        <translation>Export chart as PNG</translation>
    </message>
    <message>
        <source>导出图表 PNG…</source>
        <translation>Export chart as PNG…</translation>
    </message>
    <message>
        <source>导出失败</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <source>导出文章为 PDF…</source>
        <translation>Export article as PDF…</translation>
    </message>
    <message>
        <source>导出照片目录</source>
        <translation>Export photo catalogue</translation>
    </message>
    <message>
        <source>导出照片目录…</source>
        <translation>Export photo catalogue…</translation>
    </message>
    <message>
        <source>尚未改动档案。</source>
        <translation>Nothing has changed yet.</translation>
    </message>
    <message>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <source>已导入</source>
        <translation>imported</translation>
    </message>
    <message>
        <source>已导出 {} 行：</source>
        <translation>Exported {} rows: </translation>
    </message>
    <message>
        <source>已导出：</source>
        <translation>Exported: </translation>
    </message>
    <message>
        <source>已撤销</source>
        <translation>Reverted</translation>
    </message>
    <message>
        <source>已替换</source>
        <translation>replaced</translation>
    </message>
    <message>
        <source>已选</source>
        <translation>Selected</translation>
    </message>
    <message>
        <source>已附加</source>
        <translation>Attached</translation>
    </message>
    <message>
        <source>帮助</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>年</source>
        <translation>year</translation>
    </message>
    <message>
        <source>年份范围</source>
        <translation>Year range</translation>
    </message>
    <message>
        <source>张</source>
        <translation>photos</translation>
    </message>
    <message>
        <source>张图片</source>
        <translation>images</translation>
    </message>
    <message>
        <source>张照片</source>
        <translation>photos</translation>
    </message>
    <message>
        <source>张表格</source>
        <translation>tables</translation>
    </message>
    <message>
        <source>待核对 {} 处</source>
        <translation>{} to check</translation>
    </message>
    <message>
        <source>所在文章</source>
        <translation>Article</translation>
    </message>
    <message>
        <source>所有文件 (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <source>打印文章…</source>
        <translation>Print article…</translation>
    </message>
    <message>
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <source>打印预览…</source>
        <translation>Print preview…</translation>
    </message>
    <message>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>折线图</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>拖入的 {} 个文件</source>
        <translation>{} dropped files</translation>
    </message>
    <message>
        <source>拖动两端选择年份范围；键盘：方向键移动，空格切换两端</source>
        <translation>Drag either end to choose the years; keyboard: arrow keys move, Space switches ends</translation>
    </message>
    <message>
        <source>按卷序</source>
        <translation>Volume order</translation>
    </message>
    <message>
        <source>按年份</source>
        <translation>By year</translation>
    </message>
    <message>
        <source>按日期（新→旧）</source>
        <translation>Date, newest first</translation>
    </message>
    <message>
        <source>按日期（旧→新）</source>
        <translation>Date, oldest first</translation>
    </message>
    <message>
        <source>按相关度</source>
        <translation>Best match</translation>
    </message>
    <message>
        <source>排得像图片说明，但没有署名：按正文处理</source>
        <translation>lines set like a caption but with no credit: read as body text</translation>
    </message>
    <message>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>搜索全文（Ctrl+F）：园区 经发委、"自由贸易"、-疫情、title:自贸</source>
        <translation>Search the full text (Ctrl+F): 园区 经发委, "自由贸易", -疫情, title:自贸</translation>
    </message>
    <message>
        <source>摄</source>
        <translation>photo</translation>
    </message>
    <message>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>撤销所选更改…</source>
        <translation>Revert the selected change…</translation>
    </message>
    <message>
        <source>放大文字</source>
        <translation>Larger text</translation>
    </message>
    <message>
        <source>放弃修改（Esc）</source>
        <translation>Discard (Esc)</translation>
    </message>
    <message>
        <source>数值列</source>
        <translation>Values</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>文件名中没有照片编号或说明文字</source>
        <translation>no photo id or caption in the name</translation>
    </message>
    <message>
        <source>文件名：</source>
        <translation>File name:</translation>
    </message>
    <message>
        <source>文件夹</source>
        <translation>Folder</translation>
    </message>
    <message>
        <source>文件夹不存在</source>
        <translation>No such file or directory</translation>
    </message>
    <message>
        <source>文件类型：</source>
        <translation>Files of type:</translation>
    </message>
    <message>
        <source>文字原始大小</source>
        <translation>Normal text size</translation>
    </message>
    <message>
        <source>文本文件 (*.txt);;所有文件 (*)</source>
        <translation>Text files (*.txt);;All files (*)</translation>
    </message>
    <message>
        <source>文章</source>
        <translation>Articles</translation>
    </message>
    <message>
        <source>文章末尾没有署名或出处</source>
        <translation>the article ends with no signature or source note</translation>
    </message>
    <message>
        <source>文章标题在页面中部重复出现（页眉）：已删去</source>
        <translation>the article's title repeated above the foot of the page: dropped</translation>
    </message>
    <message>
        <source>文章没有标题行，也没有页眉：标题取自栏目页</source>
        <translation>an article with no title line and no running head: titled from the title page</translation>
    </message>
    <message>
        <source>文章结束后出现没有标题的文字</source>
        <translation>text with no title after an article's end</translation>
    </message>
    <message>
        <source>无图片</source>
        <translation>no image</translation>
    </message>
    <message>
        <source>无日期</source>
        <translation>no date</translation>
    </message>
    <message>
        <source>无法写入文件</source>
        <translation>cannot write the file</translation>
    </message>
    <message>
        <source>无法打开档案</source>
        <translation>Cannot open the archive</translation>
    </message>
    <message>
        <source>无法理解这个检索词</source>
        <translation>This search cannot be understood</translation>
    </message>
    <message>
        <source>无法预览</source>
        <translation>Cannot preview</translation>
    </message>
    <message>
        <source>日</source>
        <translation>day</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>日期不详</source>
        <translation>Date unknown</translation>
    </message>
    <message>
        <source>日期无效：请写成 2020年1月29日、2020年2月、2020-01-29 或 2020-01-08/2020-01-19</source>
        <translation>Not a date: write 2020-01-29, 2020-02, 2020年1月29日 or 2020-01-08/2020-01-19</translation>
    </message>
    <message>
        <source>日期格式：YYYY、YYYY-MM 或 YYYY-MM-DD</source>
        <translation>Dates: YYYY, YYYY-MM or YYYY-MM-DD</translation>
    </message>
    <message>
        <source>显示前</source>
        <translation>showing the first</translation>
    </message>
    <message>
        <source>暂时无法完成，请稍后再试。</source>
        <translation>This cannot be done just now; please try again.</translation>
    </message>
    <message>
        <source>月</source>
        <translation>month</translation>
    </message>
    <message>
        <source>月份应为 1–12</source>
        <translation>The month must be 1–12</translation>
    </message>
    <message>
        <source>月份标题之前的带日期条目：未注日期</source>
        <translation>a dated entry before any month heading: kept without a date</translation>
    </message>
    <message>
        <source>有图片</source>
        <translation>With image</translation>
    </message>
    <message>
        <source>未保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <source>未匹配的文件</source>
        <translation>Unmatched file</translation>
    </message>
    <message>
        <source>未改动（此前已导入）</source>
        <translation>unchanged (imported before)</translation>
    </message>
    <message>
        <source>未选择照片</source>
        <translation>No photo selected</translation>
    </message>
    <message>
        <source>未附加</source>
        <translation>Not attached</translation>
    </message>
    <message>
        <source>条</source>
        <translation>hits</translation>
    </message>
    <message>
        <source>条大事</source>
        <translation>events</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Credit</translation>
    </message>
    <message>
        <source>来源类型</source>
        <translation>Credit kind</translation>
    </message>
    <message>
        <source>查找范围：</source>
        <translation>Look in:</translation>
    </message>
    <message>
        <source>查看检索结果（Ctrl+2）</source>
        <translation>show the results (Ctrl+2)</translation>
    </message>
    <message>
        <source>柱状图</source>
        <translation>Bars</translation>
    </message>
    <message>
        <source>标签</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>标签列</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>档案暂时无法打开，请联系工作人员。</source>
        <translation>The archive cannot be opened; please ask the staff.</translation>
    </message>
    <message>
        <source>检索</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>检索将在完成后进行</source>
        <translation>searches run when it is done</translation>
    </message>
    <message>
        <source>检索索引已就绪</source>
        <translation>The search index is ready</translation>
    </message>
    <message>
        <source>检索结果</source>
        <translation>Results</translation>
    </message>
    <message>
        <source>检索词太长（{} 个字符，最多 {} 个）</source>
        <translation>The query is too long ({} characters; at most {})</translation>
    </message>
    <message>
        <source>止 YYYY[-MM[-DD]]</source>
        <translation>to YYYY[-MM[-DD]]</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>正在写入档案</source>
        <translation>Writing the archive</translation>
    </message>
    <message>
        <source>正在准备检索索引…</source>
        <translation>Preparing the search index…</translation>
    </message>
    <message>
        <source>正在匹配…</source>
        <translation>Matching…</translation>
    </message>
    <message>
        <source>正在导入</source>
        <translation>Importing</translation>
    </message>
    <message>
        <source>正在导入…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>正在建立检索索引</source>
        <translation>Building the search index</translation>
    </message>
    <message>
        <source>正在打开档案…</source>
        <translation>Opening the archive…</translation>
    </message>
    <message>
        <source>正在解析</source>
        <translation>Parsing</translation>
    </message>
    <message>
        <source>正在读取档案</source>
        <translation>Reading the archive</translation>
    </message>
    <message>
        <source>正在附加…</source>
        <translation>Attaching…</translation>
    </message>
    <message>
        <source>正在附加图片…</source>
        <translation>Attaching the image…</translation>
    </message>
    <message>
        <source>此处应为第 {1} 行，却见行号 {0}：并入上一行</source>
        <translation>row number {0} where {1} was due: read as part of the row before</translation>
    </message>
    <message>
        <source>此表没有数值列，无法作图。</source>
        <translation>This table has no numeric column to chart.</translation>
    </message>
    <message>
        <source>没有 {} 月。</source>
        <translation>There is no month {}. </translation>
    </message>
    <message>
        <source>没有大事记条目</source>
        <translation>No chronology entries</translation>
    </message>
    <message>
        <source>没有带日期的记录</source>
        <translation>No dated records</translation>
    </message>
    <message>
        <source>没有改动</source>
        <translation>Nothing changed</translation>
    </message>
    <message>
        <source>没有权限</source>
        <translation>Permission denied</translation>
    </message>
    <message>
        <source>没有标题行，也没有页眉：文章未加标题</source>
        <translation>no title line and no running head: the article is left untitled</translation>
    </message>
    <message>
        <source>没有照片的说明与文件名相符</source>
        <translation>no photo's caption matches</translation>
    </message>
    <message>
        <source>没有编号为 {} 的照片</source>
        <translation>no photo {}</translation>
    </message>
    <message>
        <source>没有这一天。</source>
        <translation>No such day. </translation>
    </message>
    <message>
        <source>没有这一天：{}</source>
        <translation>No such day: {}</translation>
    </message>
    <message>
        <source>清除</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>清除全部筛选</source>
        <translation>Clear all filters</translation>
    </message>
    <message>
        <source>清除条件</source>
        <translation>Clear search</translation>
    </message>
    <message>
        <source>清除此筛选</source>
        <translation>Clear this filter</translation>
    </message>
    <message>
        <source>点击打开此页的文章</source>
        <translation>Click to open the article on this page</translation>
    </message>
    <message>
        <source>点击柱条：只看这一年</source>
        <translation>Click a bar: just that year</translation>
    </message>
    <message>
        <source>照片</source>
        <translation>Photos</translation>
    </message>
    <message>
        <source>照片 {} 已由 {} 匹配</source>
        <translation>photo {} already matched by {}</translation>
    </message>
    <message>
        <source>照片墙</source>
        <translation>Photo wall</translation>
    </message>
    <message>
        <source>版权</source>
        <translation>Rights</translation>
    </message>
    <message>
        <source>用“、”分隔多个标签</source>
        <translation>separate tags with “、”</translation>
    </message>
    <message>
        <source>目录</source>
        <translation>Contents</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>磁盘已满</source>
        <translation>No space left on device</translation>
    </message>
    <message>
        <source>空格</source>
        <translation>Space</translation>
    </message>
    <message>
        <source>第 {} 页，共 {} 页</source>
        <translation>Page {} of {}</translation>
    </message>
    <message>
        <source>第{}页</source>
        <translation>p. {}</translation>
    </message>
    <message>
        <source>第一条带日期的条目之前的文字：作为日期不详的条目保留</source>
        <translation>text before the first dated entry: kept as an undated event</translation>
    </message>
    <message>
        <source>筛选</source>
        <translation>Filters</translation>
    </message>
    <message>
        <source>筛选照片：说明、地点、tag:标签…</source>
        <translation>Filter photos: caption, location, tag:…</translation>
    </message>
    <message>
        <source>筛选部门…</source>
        <translation>Filter departments…</translation>
    </message>
    <message>
        <source>管理员退出：请输入密码</source>
        <translation>Administrator exit: enter the PIN</translation>
    </message>
    <message>
        <source>篇</source>
        <translation>articles</translation>
    </message>
    <message>
        <source>篇文章</source>
        <translation>articles</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>结果与图片的排列顺序</source>
        <translation>Order of the results and photos</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>id</translation>
    </message>
    <message>
        <source>编目</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <source>缩小文字</source>
        <translation>Smaller text</translation>
    </message>
    <message>
        <source>缩略图</source>
        <translation>Thumbnails</translation>
    </message>
    <message>
        <source>缩略图大小</source>
        <translation>Thumbnail size</translation>
    </message>
    <message>
        <source>署名</source>
        <translation>signature</translation>
    </message>
    <message>
        <source>苏州工业园区年鉴 · 档案查阅</source>
        <translation>Suzhou Industrial Park Yearbook · Archive</translation>
    </message>
    <message>
        <source>表</source>
        <translation>Table </translation>
    </message>
    <message>
        <source>表格</source>
        <translation>Tables</translation>
    </message>
    <message>
        <source>表格后的一行短文字被当作新文章的标题</source>
        <translation>a short line after a table taken as a title</translation>
    </message>
    <message>
        <source>表格末行之后没有来源行：表格无署名</source>
        <translation>no source line after the last row: the table has no attribution</translation>
    </message>
    <message>
        <source>视图</source>
        <translation>View</translation>
    </message>
    <message>
        <source>解析时没有把握的判断。点击一项，打开它所在的文章。</source>
        <translation>Decisions the parser was not sure of. Click one to open its article.</translation>
    </message>
    <message>
        <source>解析时没有把握的判断，请核对</source>
        <translation>Decisions the parser was not sure of: please check them</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Caption</translation>
    </message>
    <message>
        <source>说明文字</source>
        <translation>caption</translation>
    </message>
    <message>
        <source>起 YYYY[-MM[-DD]]</source>
        <translation>from YYYY[-MM[-DD]]</translation>
    </message>
    <message>
        <source>起始日期晚于结束日期</source>
        <translation>The start date is after the end date</translation>
    </message>
    <message>
        <source>转到日期</source>
        <translation>Go to date</translation>
    </message>
    <message>
        <source>输入拼音或首字母，如 qhcs</source>
        <translation>Type pinyin or initials, e.g. qhcs</translation>
    </message>
    <message>
        <source>输入检索词，或在“筛选”中选择条件。</source>
        <translation>Type words to search, or choose filters.</translation>
    </message>
    <message>
        <source>这一卷已不在档案中</source>
        <translation>That volume is no longer in the archive</translation>
    </message>
    <message>
        <source>这些内容在这次更改之后又被修改过，已保留。也要撤销它们吗？</source>
        <translation>These fields were changed again after this change and were kept. Revert them too?</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>退格</source>
        <translation>Backspace</translation>
    </message>
    <message>
        <source>选中符合筛选的全部照片（Ctrl+A）</source>
        <translation>Select every photo the filter matches (Ctrl+A)</translation>
    </message>
    <message>
        <source>选择 CSV</source>
        <translation>Choose a CSV</translation>
    </message>
    <message>
        <source>选择 CSV…</source>
        <translation>Choose a CSV…</translation>
    </message>
    <message>
        <source>选择文件夹</source>
        <translation>Choose a folder</translation>
    </message>
    <message>
        <source>选择文件夹…</source>
        <translation>Choose a folder…</translation>
    </message>
    <message>
        <source>选择文件夹后点“预览匹配”；预览不会改动档案。</source>
        <translation>Choose a folder, then “Preview”; a preview changes nothing.</translation>
    </message>
    <message>
        <source>部分照片另有：</source>
        <translation>Some photos also have: </translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>部门与作者（可多选，任一匹配）</source>
        <translation>Departments and photographers (any of those ticked)</translation>
    </message>
    <message>
        <source>部门名称为空</source>
        <translation>The department name is empty</translation>
    </message>
    <message>
        <source>采用图片的拍摄日期</source>
        <translation>Use the image's date</translation>
    </message>
    <message>
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <source>阅读</source>
        <translation>Reader</translation>
    </message>
    <message>
        <source>附加</source>
        <translation>Attach</translation>
    </message>
    <message>
        <source>附加图片</source>
        <translation>Attach image</translation>
    </message>
    <message>
        <source>页</source>
        <translation>Page</translation>
    </message>
    <message>
        <source>页眉</source>
        <translation>running head</translation>
    </message>
    <message>
        <source>预览匹配</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>（图片未附）</source>
        <translation>(no image attached)</translation>
    </message>
    <message>
        <source>（多个值）</source>
        <translation>(mixed)</translation>
    </message>
    <message>
        <source>（多个值，不修改）</source>
        <translation>(mixed: left alone)</translation>
    </message>
    <message>
        <source>（无标题）</source>
        <translation>(untitled)</translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
</context>
</TS>
