// Debian's libxlsxwriter (libxlsxwriter-dev) for Swift: the XLSX copies of prints and tables.
//
// Not linked: the library (and the libcrypto and minizip it pulls in, about 1.7 MB of a
// clerk's resident memory, issue 26) is opened with dlopen the first time a workbook is
// written. Its functions are reached through the table `jz_xlsx_library` returns; a direct call
// to one of them fails to link, so none slips past the table.
#ifndef JIUZHU_CXLSXWRITER_H
#define JIUZHU_CXLSXWRITER_H
#include <xlsxwriter.h>

/// The functions Jiuzhu calls (X is applied to each name).
#define JZ_XLSX_FUNCTIONS(X) \
    X(workbook_new_opt) \
    X(workbook_add_worksheet) \
    X(workbook_add_format) \
    X(workbook_close) \
    X(lxw_workbook_free) \
    X(lxw_strerror) \
    X(format_set_align) \
    X(format_set_bold) \
    X(format_set_border) \
    X(format_set_bottom) \
    X(format_set_font_size) \
    X(format_set_num_format) \
    X(format_set_text_wrap) \
    X(worksheet_autofilter) \
    X(worksheet_center_horizontally) \
    X(worksheet_fit_to_pages) \
    X(worksheet_freeze_panes) \
    X(worksheet_merge_range) \
    X(worksheet_print_area) \
    X(worksheet_repeat_rows) \
    X(worksheet_set_column) \
    X(worksheet_set_footer) \
    X(worksheet_set_landscape) \
    X(worksheet_set_paper) \
    X(worksheet_set_portrait) \
    X(worksheet_set_row) \
    X(worksheet_write_blank) \
    X(worksheet_write_number) \
    X(worksheet_write_string)

/// Each function with the library's own type (taken from its header).
#define JZ_XLSX_FIELD(name) __typeof__(&name) _Nonnull name;
typedef struct jz_xlsx {
    JZ_XLSX_FUNCTIONS(JZ_XLSX_FIELD)
} jz_xlsx;
#undef JZ_XLSX_FIELD

/// The library's table, opened once (thread-safe); NULL if it cannot be opened or lacks a
/// function, with the reason in `jz_xlsx_error`.
const jz_xlsx * _Nullable jz_xlsx_library(void);
/// Why `jz_xlsx_library` returned NULL (dlerror's text), or NULL.
const char * _Nullable jz_xlsx_error(void);
#endif
