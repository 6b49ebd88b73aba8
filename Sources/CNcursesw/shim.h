// The only C in the project: wide-character ncurses for Swift.
#ifndef JIUZHU_CNCURSESW_SHIM_H
#define JIUZHU_CNCURSESW_SHIM_H
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Macros Swift cannot import.
static inline int jz_color_pair(int n) { return COLOR_PAIR(n); }
static inline int jz_key_f(int n) { return KEY_F(n); }
static inline WINDOW *jz_stdscr(void) { return stdscr; }
static inline int jz_lines(void) { return LINES; }
static inline int jz_cols(void) { return COLS; }
static inline attr_t jz_a_bold(void) { return A_BOLD; }
static inline attr_t jz_a_reverse(void) { return A_REVERSE; }
static inline attr_t jz_a_underline(void) { return A_UNDERLINE; }
static inline attr_t jz_a_dim(void) { return A_DIM; }
static inline attr_t jz_a_normal(void) { return A_NORMAL; }
#endif
