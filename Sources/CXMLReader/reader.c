// libxml2's streaming reader opened on first use (see include/CXMLReader.h).
#include "CXMLReader.h"
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// The functions called, each with the library's own type (taken from its header).
#define JZ_XML_FUNCTIONS(X) \
    X(xmlReaderForMemory) \
    X(xmlFreeTextReader) \
    X(xmlTextReaderRead) \
    X(xmlTextReaderNodeType) \
    X(xmlTextReaderConstName) \
    X(xmlTextReaderConstValue) \
    X(xmlTextReaderIsEmptyElement) \
    X(xmlTextReaderMoveToNextAttribute) \
    X(xmlTextReaderMoveToElement) \
    X(xmlTextReaderGetParserLineNumber) \
    X(xmlGetLastError)

#define JZ_XML_FIELD(name) __typeof__(&name) name;
static struct { JZ_XML_FUNCTIONS(JZ_XML_FIELD) } xml;
#undef JZ_XML_FIELD
static int loaded;
static char failure[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void open_library(void) {
    // The soname of the ABI the header describes.
    const char *soname = "libxml2.so.2";
    void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(failure, sizeof failure, "%s", e ? e : soname);
        return;
    }
#define JZ_XML_LOAD(name) \
    xml.name = (__typeof__(&name))dlsym(lib, #name); \
    if (!xml.name) { snprintf(failure, sizeof failure, "%s: %s missing", soname, #name); return; }
    JZ_XML_FUNCTIONS(JZ_XML_LOAD)
#undef JZ_XML_LOAD
    loaded = 1;
}

const char *jz_xml_library_error(void) {
    pthread_once(&once, open_library);
    return loaded ? NULL : failure;
}

struct jz_xml_reader {
    xmlTextReaderPtr reader;
    char message[512];
};

jz_xml_reader *jz_xml_reader_new(const void *data, int size) {
    if (jz_xml_library_error()) return NULL;
    jz_xml_reader *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    // No network, no DTD loading; XML_PARSE_HUGE: a sheet's text may pass libxml2's 10 MB limit.
    r->reader = xml.xmlReaderForMemory(data, size, NULL, NULL, XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    if (!r->reader) { free(r); return NULL; }
    return r;
}

void jz_xml_free(jz_xml_reader *r) {
    xml.xmlFreeTextReader(r->reader);
    free(r);
}

int jz_xml_next(jz_xml_reader *r) {
    int got = xml.xmlTextReaderRead(r->reader);
    if (got == 0) return JZ_XML_END_OF_PART;
    if (got < 0) {
        const xmlError *e = xml.xmlGetLastError();
        snprintf(r->message, sizeof r->message, "%s", e && e->message ? e->message : "not well-formed XML");
        // libxml2's messages end in a newline.
        for (char *p = r->message; *p; p++) if (*p == '\n' && p[1] == 0) *p = 0;
        return JZ_XML_ERROR;
    }
    switch (xml.xmlTextReaderNodeType(r->reader)) {
    case XML_READER_TYPE_ELEMENT: return JZ_XML_START;
    case XML_READER_TYPE_END_ELEMENT: return JZ_XML_END;
    case XML_READER_TYPE_TEXT: case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_WHITESPACE: case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: return JZ_XML_TEXT;
    default: return JZ_XML_OTHER;
    }
}

const char *jz_xml_name(jz_xml_reader *r) { return (const char *)xml.xmlTextReaderConstName(r->reader); }
const char *jz_xml_value(jz_xml_reader *r) { return (const char *)xml.xmlTextReaderConstValue(r->reader); }
int jz_xml_is_empty(jz_xml_reader *r) { return xml.xmlTextReaderIsEmptyElement(r->reader) == 1; }

int jz_xml_next_attribute(jz_xml_reader *r) {
    if (xml.xmlTextReaderMoveToNextAttribute(r->reader) == 1) return 1;
    xml.xmlTextReaderMoveToElement(r->reader);
    return 0;
}

const char *jz_xml_error(jz_xml_reader *r) { return r->message; }
int jz_xml_line(jz_xml_reader *r) { return xml.xmlTextReaderGetParserLineNumber(r->reader); }
