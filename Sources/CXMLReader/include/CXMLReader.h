// Debian's libxml2 for reading the XML parts of an .xlsx (JiuzhuImport's XLSXReader), through
// its streaming reader (xmlTextReader: one node at a time, so a sheet of 30,000 rows is never a
// tree).
//
// Not linked: the library (and the libicuuc and liblzma it pulls in, about 0.95 MB of a
// clerk's resident memory, issue 26) is opened with dlopen the first time a workbook is read.
// The functions here wrap the few reader calls XLSXReader makes; libxml2's own header is seen
// only by reader.c.
#ifndef JIUZHU_CXMLREADER_H
#define JIUZHU_CXMLREADER_H

/// A reader over one part held in memory (opaque).
typedef struct jz_xml_reader jz_xml_reader;

/// What `jz_xml_next` moved to.
#define JZ_XML_END_OF_PART 0
#define JZ_XML_START 1       // an element's start tag (`jz_xml_is_empty`: `<c/>`, no end follows)
#define JZ_XML_END 2         // an element's end tag
#define JZ_XML_TEXT 3        // characters (text, CDATA or white space)
#define JZ_XML_OTHER 4       // a comment, processing instruction, declaration ...
#define JZ_XML_ERROR (-1)    // not well-formed: `jz_xml_error` says why

/// Opens libxml2 once (thread-safe): NULL when it is there, else why it is not.
const char * _Nullable jz_xml_library_error(void);
/// A reader over `size` bytes at `data` (kept by the caller until `jz_xml_free`); NULL if the
/// library is missing or out of memory.
jz_xml_reader * _Nullable jz_xml_reader_new(const void * _Nonnull data, int size);
void jz_xml_free(jz_xml_reader * _Nonnull r);
/// The next node (one of the JZ_XML_ values).
int jz_xml_next(jz_xml_reader * _Nonnull r);
/// The current element's (or attribute's) name as written, prefix included (`r:id`).
const char * _Nullable jz_xml_name(jz_xml_reader * _Nonnull r);
/// The current text's (or attribute's) value.
const char * _Nullable jz_xml_value(jz_xml_reader * _Nonnull r);
/// Whether the current start tag closes itself.
int jz_xml_is_empty(jz_xml_reader * _Nonnull r);
/// Moves to the start tag's next attribute (1), or back to the element when there is none (0).
int jz_xml_next_attribute(jz_xml_reader * _Nonnull r);
/// The parser's message and line for the error `jz_xml_next` returned.
const char * _Nullable jz_xml_error(jz_xml_reader * _Nonnull r);
int jz_xml_line(jz_xml_reader * _Nonnull r);
#endif
