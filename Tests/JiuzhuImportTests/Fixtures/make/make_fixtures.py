# Makes the import fixtures as offices make them (run from this folder; the outputs are
# committed, so tests need none of these tools):
#  - ledger-gbk.csv: what Excel/WPS "CSV (逗号分隔)" writes on a Chinese Windows: GBK, CRLF, a
#    title row, one row per household, a blank row and a totals row;
#  - roll-15digit.xls: an Excel 97-2003 workbook (xlwt, BIFF8) of one row per person, grouped by
#    户编号, with old 15-digit ID numbers, a title row and a totals row;
#  - merged-header.xlsx: written by merged_header.c through libxlsxwriter (see there).
import csv, io
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
C = "10X98765432"
def idn(region, birth, seq):
    body = "%s%s%03d" % (region, birth, seq)
    return body + C[sum(int(d) * w for d, w in zip(body, W)) % 11]
def old15(region, birth, seq):      # birth YYYYMMDD of 19xx
    return "%s%s%03d" % (region, birth[2:], seq)

rows = [
    ["南诏镇2024年农村低保对象花名册"],
    ["序号", "村（社区）", "户主姓名", "身份证号码", "家庭人口", "保障人数", "月保障金（元）", "开始享受时间", "家庭住址"],
    ["1", "李家村", "杨正华", idn("532927", "19580312", 11), "1", "1", "560", "2021/3/1", "李家村一组"],
    ["2", "李家村", "罗文秀", idn("532927", "19620708", 22), "1", "1", "1,120.00元", "2022.7", "李家村二组"],
    ["3", "石门村", "茶发林", idn("532927", "19491201", 33), "1", "1", "480", "20230501", "石门村三组"],
    ["", "", "", "", "", "", "", "", ""],
    ["合计", "", "", "", "3", "3", "2160", "", ""],
]
buf = io.StringIO()
w = csv.writer(buf, lineterminator="\r\n")
for r in rows: w.writerow(r)
open("../ledger-gbk.csv", "wb").write(buf.getvalue().encode("gbk"))

import xlwt
wb = xlwt.Workbook(encoding="utf-8")
ws = wb.add_sheet("五保特困花名册")
ws.write_merge(0, 0, 0, 8, "南诏镇特困人员及低保家庭成员花名册")
hdr = ["户编号", "村", "姓名", "与户主关系", "身份证号", "民族", "救助类别", "月保障金", "纳入时间"]
for c, h in enumerate(hdr): ws.write(1, c, h)
people = [
    ["1", "李家村", "字老三", "户主", old15("532927", "19400105", 51), "彝族", "特困", 625, "2019-01-01"],
    ["2", "石门村", "李桂芝", "户主", old15("532927", "19550920", 62), "汉", "农村低保", 700, "2020-6-1"],
    ["2", "石门村", "李小军", "子", idn("532927", "19800214", 73), "汉", "", "", ""],
    ["2", "石门村", "李小红", "孙女", idn("532927", "20120614", 84), "汉", "", "", ""],
]
for r, p in enumerate(people, start=2):
    for c, v in enumerate(p): ws.write(r, c, v)
ws.write(6, 0, "合计"); ws.write(6, 7, 1325)
wb.save("../roll-15digit.xls")
print(idn("532927", "19750101", 1))
