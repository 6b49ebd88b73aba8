// Opens libxlsxwriter on first use (see include/CXlsxWriter.h).
#include "CXlsxWriter.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static jz_xlsx table;
static const jz_xlsx *loaded;
static char failure[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void open_library(void) {
    // The soname the header was written for: a table of the header's types over another
    // version's functions would be wrong.
    const char *soname = "libxlsxwriter.so." LXW_SOVERSION;
    void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(failure, sizeof failure, "%s", e ? e : soname);
        return;
    }
#define JZ_XLSX_LOAD(name) \
    table.name = (__typeof__(&name))dlsym(lib, #name); \
    if (!table.name) { snprintf(failure, sizeof failure, "%s: %s missing", soname, #name); return; }
    JZ_XLSX_FUNCTIONS(JZ_XLSX_LOAD)
#undef JZ_XLSX_LOAD
    loaded = &table;
}

const jz_xlsx *jz_xlsx_library(void) {
    pthread_once(&once, open_library);
    return loaded;
}

const char *jz_xlsx_error(void) {
    pthread_once(&once, open_library);
    return loaded ? NULL : failure;
}
