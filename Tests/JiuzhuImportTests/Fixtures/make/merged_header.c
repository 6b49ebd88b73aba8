/* merged-header.xlsx as an office keeps its 台帐 in Excel or WPS: a title row merged over the
 * table, a two-line header (家庭成员 merged over 姓名 / 与户主关系 / 身份证号, the others merged
 * down), one row per person with the village and the head's name merged down each household,
 * the date a real date cell, amounts numbers, and a totals row. cc merged_header.c -lxlsxwriter */
#include <xlsxwriter.h>
int main(void) {
    lxw_workbook *wb = workbook_new("../merged-header.xlsx");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "2024年台帐");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    worksheet_merge_range(ws, 0, 0, 0, 8, "南诏镇2024年低保对象台帐", NULL);
    const char *top[] = {"序号", "村(社区)", "户主", "家庭成员", "", "", "救助类别", "保障人数", "月发放金额"};
    for (int c = 0; c < 9; c++) if (top[c][0]) worksheet_write_string(ws, 1, c, top[c], NULL);
    worksheet_merge_range(ws, 1, 3, 1, 5, "家庭成员", NULL);
    const char *sub[] = {"姓名", "与户主关系", "身份证号"};
    for (int c = 0; c < 3; c++) worksheet_write_string(ws, 2, 3 + c, sub[c], NULL);
    worksheet_merge_range(ws, 1, 0, 2, 0, "序号", NULL);
    worksheet_merge_range(ws, 1, 1, 2, 1, "村(社区)", NULL);
    worksheet_merge_range(ws, 1, 2, 2, 2, "户主", NULL);
    worksheet_merge_range(ws, 1, 6, 2, 6, "救助类别", NULL);
    worksheet_merge_range(ws, 1, 7, 2, 7, "保障人数", NULL);
    worksheet_merge_range(ws, 1, 8, 2, 8, "月发放金额", NULL);
    worksheet_merge_range(ws, 1, 9, 2, 9, "纳入时间", NULL);
    /* household 1: 李家村, three persons */
    worksheet_merge_range(ws, 3, 0, 5, 0, "1", NULL);
    worksheet_merge_range(ws, 3, 1, 5, 1, "李家村", NULL);
    worksheet_merge_range(ws, 3, 2, 5, 2, "何建平", NULL);
    worksheet_write_string(ws, 3, 3, "何建平", NULL); worksheet_write_string(ws, 3, 4, "户主", NULL);
    worksheet_write_string(ws, 3, 5, "532927197203150014", NULL);
    worksheet_write_string(ws, 4, 3, "张丽", NULL); worksheet_write_string(ws, 4, 4, "妻", NULL);
    worksheet_write_string(ws, 4, 5, "532927197506100022", NULL);
    worksheet_write_string(ws, 5, 3, "何小东", NULL); worksheet_write_string(ws, 5, 4, "子", NULL);
    worksheet_write_string(ws, 5, 5, "532927200509090039", NULL);
    worksheet_merge_range(ws, 3, 6, 5, 6, "低保", NULL);
    worksheet_write_number(ws, 3, 7, 3, NULL);
    worksheet_write_number(ws, 3, 8, 1260.5, NULL);
    lxw_datetime d1 = {2022, 9, 1, 0, 0, 0};
    worksheet_write_datetime(ws, 3, 9, &d1, date);
    /* household 2: 东街社区 (an urban community), two persons */
    worksheet_merge_range(ws, 6, 0, 7, 0, "2", NULL);
    worksheet_merge_range(ws, 6, 1, 7, 1, "东街社区", NULL);
    worksheet_merge_range(ws, 6, 2, 7, 2, "周秀兰", NULL);
    worksheet_write_string(ws, 6, 3, "周秀兰", NULL); worksheet_write_string(ws, 6, 4, "户主", NULL);
    worksheet_write_string(ws, 6, 5, "532927196811200041", NULL);
    worksheet_write_string(ws, 7, 3, "周明", NULL); worksheet_write_string(ws, 7, 4, "子", NULL);
    worksheet_write_string(ws, 7, 5, "532927199402280056", NULL);
    worksheet_merge_range(ws, 6, 6, 7, 6, "低保", NULL);
    worksheet_write_number(ws, 6, 7, 2, NULL);
    worksheet_write_number(ws, 6, 8, 980, NULL);
    lxw_datetime d2 = {2023, 3, 1, 0, 0, 0};
    worksheet_write_datetime(ws, 6, 9, &d2, date);
    worksheet_write_string(ws, 8, 0, "合计", NULL);
    worksheet_write_formula(ws, 8, 7, "=SUM(H4:H8)", NULL);
    worksheet_write_formula(ws, 8, 8, "=SUM(I4:I8)", NULL);
    worksheet_write_string(ws, 10, 0, "制表人：王会计　　审核：李主任", NULL);
    return workbook_close(wb);
}
