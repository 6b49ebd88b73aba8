// Debian's FreeXL (libfreexl-dev) for Swift: reading an office's .xls (Excel 97–2003) ledger.
#ifndef JIUZHU_CFREEXL_SHIM_H
#define JIUZHU_CFREEXL_SHIM_H
#include <freexl.h>
#endif
