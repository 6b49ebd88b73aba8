// Debian's libxlsxwriter (libxlsxwriter-dev) for Swift: the XLSX copy of a publicity posting.
#ifndef JIUZHU_CXLSXWRITER_SHIM_H
#define JIUZHU_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
