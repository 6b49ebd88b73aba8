// Wide-character ncurses for Swift (the other C module is CXlsxWriter, for Excel files).
#ifndef JIUZHU_CNCURSESW_SHIM_H
#define JIUZHU_CNCURSESW_SHIM_H
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
// Without this, _XOPEN_SOURCE alone hides glibc's "misc" names and <signal.h> declares
// structs (ucontext) with different field names than Foundation's view of the same header,
// and Clang refuses the two modules together. pkg-config asks for it too.
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <pthread.h>
#include <langinfo.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Macros Swift cannot import.
static inline int jz_color_pair(int n) { return COLOR_PAIR(n); }
static inline int jz_key_f(int n) { return KEY_F(n); }
static inline WINDOW *jz_stdscr(void) { return stdscr; }
static inline WINDOW *jz_curscr(void) { return curscr; }
// The C library's standard streams: Swift 6 refuses to read the global variables `stdout` and
// `stdin` (shared mutable state); these calls read them on the C side.
static inline FILE *jz_stdout(void) { return stdout; }
static inline FILE *jz_stdin(void) { return stdin; }
static inline int jz_lines(void) { return LINES; }
static inline int jz_cols(void) { return COLS; }
static inline int jz_colors(void) { return COLORS; }
static inline int jz_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t jz_a_bold(void) { return A_BOLD; }
static inline attr_t jz_a_reverse(void) { return A_REVERSE; }
static inline attr_t jz_a_underline(void) { return A_UNDERLINE; }
static inline attr_t jz_a_dim(void) { return A_DIM; }
static inline attr_t jz_a_normal(void) { return A_NORMAL; }

// struct sigaction's handler field is a union that Swift imports differently on Linux and
// macOS; setting it here keeps the Swift side portable. Every signal is blocked while a
// handler runs, and SA_RESTART is left off so a blocking read returns when a signal arrives.
// Unblock a signal on the calling thread. Something in the process (seen: the main thread
// arriving with SIGHUP, SIGINT and SIGTERM blocked) can leave them blocked, and a blocked
// terminating signal would never reach our handler.
static inline int jz_unblock_signal(int sig) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    return pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

static inline int jz_sigaction(int sig, void (*handler)(int), struct sigaction *old) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigfillset(&sa.sa_mask);
    sa.sa_flags = 0;
    return sigaction(sig, &sa, old);
}

// A terminfo string capability, or NULL when the terminal lacks it
// (tigetstr returns (char *)-1 for a name that is not a string capability).
static inline const char *jz_tigetstr(const char *name) {
    char *s = tigetstr(name);
    return (s == (char *)-1) ? NULL : s;
}

// tiparm is variadic, which Swift cannot call.
static inline const char *jz_cursor_address(int y, int x) {
    const char *cup = jz_tigetstr("cup");
    return cup ? tiparm(cup, y, x) : NULL;
}

// Applied on top of cbreak(). Ctrl-S / Ctrl-Q (flow control) and Ctrl-V / Ctrl-O (IEXTEN's
// literal-next and discard) would otherwise be eaten by the tty driver, and Ctrl-Z would
// suspend the program -- a clerk used to "undo" would lose the screen. They all reach the
// program as keys instead. Ctrl-C and Ctrl-\ still raise signals (ISIG stays on).
static inline int jz_keys_to_program(int fd) {
    struct termios t;
    if (tcgetattr(fd, &t) != 0) return -1;
    t.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
    t.c_lflag &= ~(tcflag_t)IEXTEN;
#ifdef VSUSP
    t.c_cc[VSUSP] = _POSIX_VDISABLE;
#endif
#ifdef VDSUSP
    t.c_cc[VDSUSP] = _POSIX_VDISABLE;
#endif
    return tcsetattr(fd, TCSANOW, &t);
}
#endif
