// Debian's libedit (BSD editline) through its GNU-readline-compatible API: line editing,
// history and completion for the `ballast` REPL. Package: libedit-dev (pkg-config `libedit`).
#ifndef BALLAST_CEDITLINE_SHIM_H
#define BALLAST_CEDITLINE_SHIM_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <editline/readline.h>

// readline's settings are C globals; Swift 6 refuses to touch shared mutable globals directly,
// so these small accessors do it (the REPL uses them from one thread only).
typedef char **ballast_completion_fn(const char *text, int start, int end);

static inline void ballast_rl_setup(const char *name, const char *word_breaks, ballast_completion_fn *complete) {
    rl_readline_name = strdup(name);
    // The REPL owns SIGINT (Ctrl-C cancels the running request or clears the line); libedit's
    // own handlers would restore the terminal and re-raise the signal to the process group.
    rl_catch_signals = 0;
    rl_initialize();
    rl_completer_word_break_characters = strdup(word_breaks);
    rl_basic_word_break_characters = strdup(word_breaks);
    rl_attempted_completion_function = complete;
}
static inline const char *ballast_rl_line_buffer(void) { return rl_line_buffer; }
static inline void ballast_rl_completion_over(int over) { rl_attempted_completion_over = over; }
static inline void ballast_rl_append_character(int c) { rl_completion_append_character = c; }
#endif
