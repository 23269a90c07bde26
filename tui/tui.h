/*
 * tui/tui.h - the full-screen interface (internal to tui/).
 *
 * tui_run() is called by main.c when tolk runs without -p and without a
 * subcommand. Everything else here is shared between the tui*.c files:
 * the screen and theme (tui_screen.c), the transcript (tui_transcript.c),
 * the input editor (tui_editor.c), keys and the key table (tui_keys.c),
 * commands (tui_commands.c), the history browser (tui_browser.c) and the
 * loop that ties them together (tui.c).
 *
 * Threads: all of this runs on the main thread, which owns the screen, the
 * session and the store (DESIGN.md section 2).
 */
#ifndef TOLK_TUI_H
#define TOLK_TUI_H

#include "core/core.h"
#include "history/history.h"
#include "render/render.h"
#include "tui/budget.h"
#include "tui/langcheck.h"
#include "tui/session.h"

/* What main.c hands over. */
struct tui_options {
	const char		*model;		/* NULL: the config's default */
	struct send_options	 send;		/* system, temperature, ... */
	int64_t			 conversation;	/* > 0: open it */
	bool			 continue_latest; /* open the latest one */
	bool			 no_log;	/* do not store anything */
	bool			 demo;		/* start the demo server */
	bool			 first_run;	/* no key, no Ollama: explain */
	bool			 debug;
	/* --compare: every prompt goes to these models (2 to 4); --samples:
	 * to the model this many times. */
	const char *const	*compare;
	size_t			 ncompare;
	size_t			 samples;
};

void	tui_options_init(struct tui_options *);

/*
 * Run the full-screen interface until the user quits. config and store
 * stay the caller's (store may be NULL: nothing is stored). With
 * opts->demo the demo server is started and its own config and store (in
 * a temporary folder) are used instead. Returns an exit status: 0, or 2
 * when the terminal cannot be used (not a terminal, no UTF-8 locale) or a
 * conversation cannot be opened.
 */
int	tui_run(struct config *config, struct store *store,
	    const struct tui_options *opts);

/* ------------------------------------------------------------------ */
/* Keys (tui_keys.c) */

enum {
	K_NONE = 0,
	K_BASE = 0x110000,	/* above every code point */
	K_ENTER, K_TAB, K_BTAB, K_BSPACE, K_ESC, K_UP, K_DOWN, K_LEFT,
	K_RIGHT, K_HOME, K_END, K_PGUP, K_PGDN, K_INS, K_DEL,
	K_F1, K_F2, K_F3, K_F4, K_F5, K_F6, K_F7, K_F8, K_F9, K_F10, K_F11,
	K_F12, K_WHEEL_UP, K_WHEEL_DOWN, K_SPACE,
	K_PASTE_START, K_PASTE_END,
};

enum {
	MOD_CTRL = 1 << 0,
	MOD_ALT = 1 << 1,
	MOD_SHIFT = 1 << 2,
};

struct key {
	int32_t	code;		/* a code point, or K_* */
	int	mods;
};

enum action {
	ACT_NONE,
	ACT_INSERT,		/* not bound: printable keys insert */
	ACT_SEND,
	ACT_NEWLINE,
	ACT_CANCEL,
	ACT_INTERRUPT,		/* C-c: cancel, clear, or quit */
	ACT_QUIT,
	ACT_EOF,		/* C-d: delete, or quit on an empty draft */
	ACT_LEFT,
	ACT_RIGHT,
	ACT_WORD_LEFT,
	ACT_WORD_RIGHT,
	ACT_LINE_START,
	ACT_LINE_END,
	ACT_UP,
	ACT_DOWN,
	ACT_BACKSPACE,
	ACT_DELETE,
	ACT_KILL_EOL,
	ACT_KILL_BOL,
	ACT_KILL_WORD_BACK,
	ACT_KILL_WORD_FWD,
	ACT_YANK,
	ACT_EXTERNAL_EDITOR,
	ACT_PAGE_UP,
	ACT_PAGE_DOWN,
	ACT_SCROLL_UP,
	ACT_SCROLL_DOWN,
	ACT_TOP,
	ACT_BOTTOM,
	ACT_HISTORY,
	ACT_HELP,
	ACT_COMPLETE,
	ACT_PREV_SIBLING,
	ACT_NEXT_SIBLING,
	ACT_REDRAW,
	ACT_MODEL,
	ACT_SUSPEND,
	ACT_COMPARE,		/* the last answer and its siblings */
	ACT_SELECT,		/* choose a message in the transcript */
};

/*
 * A push decoder of terminal input: bytes in, keys out. Handles UTF-8,
 * C0 controls, ESC-prefixed Alt keys, CSI and SS3 sequences with xterm
 * modifiers, SGR mouse wheel reports and bracketed paste (whose text is
 * collected, not decoded).
 */
struct keydec;

struct keydec	*keydec_create(void);
void		 keydec_free(struct keydec *);
void		 keydec_feed(struct keydec *, const char *, size_t);
/*
 * The next key: 1 and *k, or 0 when nothing complete is waiting. With
 * flush set, a lone ESC (or a cut sequence) that waited long enough is
 * given out as the Esc key. A finished paste comes as K_PASTE_END; its
 * text is then in keydec_paste() until the next call.
 */
int		 keydec_next(struct keydec *, struct key *, bool flush);
/* Whether bytes are held back waiting for the rest of a sequence. */
bool		 keydec_pending(const struct keydec *);
const char	*keydec_paste(const struct keydec *, size_t *lenp);

/* "C-a", "M-Enter", "PgUp", "x" ... into buf. */
void		 key_format(const struct key *, char *buf, size_t size);
/* Parse a key name; -1 when it is not one. */
int		 key_parse(const char *, struct key *);

/*
 * The key table: every binding is here; the config file's [keys] section
 * (NAME = ACTION lines) overrides it. "C-x C-e" style two-key bindings are
 * supported through a C-x prefix.
 */
void		 keys_init(void);
/* Read the [keys] section of the file at path (NULL: none). -1 and *cause
 * on a bad line. */
int		 keys_load(const struct config *, char **cause);
enum action	 keys_lookup(const struct key *, const struct key *prefix);
bool		 keys_is_prefix(const struct key *);
const char	*action_name(enum action);
/* Help lines: "KEYS  what it does", one per action; caller frees the
 * array and its strings. */
size_t		 keys_help(char ***linesp);

/* ------------------------------------------------------------------ */
/* The input editor (tui_editor.c) */

struct editor;

struct editor	*editor_create(void);
void		 editor_free(struct editor *);
const char	*editor_text(const struct editor *, size_t *lenp);
void		 editor_set_text(struct editor *, const char *, size_t);
void		 editor_clear(struct editor *);
bool		 editor_empty(const struct editor *);
size_t		 editor_cursor(const struct editor *);
/* Insert text at the cursor; controls other than newline become nothing,
 * CR LF and CR become newlines, tabs stay. */
void		 editor_insert(struct editor *, const char *, size_t);
/* Apply an editing action; returns false when the action does not apply
 * (e.g. Up on the first line: the caller goes through earlier prompts). */
bool		 editor_action(struct editor *, enum action, int width);
/* Earlier prompts, for Up and Down past the first and last line. */
void		 editor_history_add(struct editor *, const char *);
bool		 editor_history_move(struct editor *, int dir);
/* Lay out at width: rows of the text and the cursor's row and column. */
size_t		 editor_layout(struct editor *, int width, int *cur_row,
		    int *cur_col);
/* Row i of the last layout: text (borrowed) and its length. */
const char	*editor_row(const struct editor *, size_t i, size_t *lenp);

/* ------------------------------------------------------------------ */
/* The screen (tui_screen.c) */

/* Colour pairs / roles of the theme. */
enum tstyle {
	TS_NORMAL,
	TS_USER_LABEL,
	TS_USER_TEXT,
	TS_ASSIST_LABEL,
	TS_CODE,
	TS_CODE_LABEL,
	TS_HEADING,
	TS_QUOTE,
	TS_LINK,
	TS_DIM,
	TS_ERROR,
	TS_STATUS,
	TS_STATUS_DEMO,
	TS_MARKER,
	TS_SELECT,
	TS_INPUT_BORDER,
	TS_MATCH,
	TS_DIFF_DELETE,
	TS_DIFF_INSERT,
	TS_DIFF_CASE,
	TS_COUNT
};

int	screen_init(char **cause);
void	screen_end(void);
void	screen_size(int *rows, int *cols);
/* Attributes of a theme role / of render styles. */
int	screen_attr(enum tstyle);
int	screen_rstyle_attr(uint32_t rstyle);
/*
 * Draw text[0..len) (clean UTF-8) at (y, x), at most maxw columns, cluster
 * by cluster at the widths render/ computes, whatever the C library's
 * wcwidth() says. Returns the columns drawn.
 */
int	screen_put(int y, int x, const char *text, size_t len, int maxw,
	    int attr);
/* Fill from (y, x) to the end of the line with spaces in attr. */
void	screen_clear_to_eol(int y, int x, int attr);
/* Write bytes straight to the terminal (OSC 52, bracketed paste mode). */
void	screen_raw(const char *, size_t);

/* ------------------------------------------------------------------ */
/* The transcript (tui_transcript.c) */

enum item_kind {
	ITEM_USER,
	ITEM_ASSISTANT,
	ITEM_INFO,
	ITEM_ERROR,
};

/* A passage of an answer: bytes [start, end) of its source text. */
struct passage {
	size_t	start;
	size_t	end;
};

/* One answer of an assistant item (siblings share an item). */
struct variant {
	struct md	*md;		/* source and layout at the width */
	char		*label;		/* provider:model */
	int		 status;	/* enum msg_status */
	char		*error;		/* NULL or one line */
	int64_t		 msg_id;	/* 0: not stored */
	uint64_t	 request_id;	/* 0: not streaming */
	/* The language checks, once the answer has ended: lines shown
	 * under it (tui_lang_check()); lc_due: still to do
	 * (tui_lang_check_later()). */
	struct langcheck lc;
	bool		 lc_due;
	/* Annotations (tui_annot.c): shown after the label ("+1 ·
	 * grammar"), annotated passages highlighted. */
	char		*annot;
	struct passage	*marks;
	size_t		 nmarks;
	int64_t		 annot_of;	/* the msg_id they were read for */
};

struct item {
	enum item_kind	 kind;
	struct variant	*v;
	size_t		 nv;
	size_t		 cur;		/* the variant shown */
	int64_t		 parent_id;	/* assistant: the prompt's id */
	int64_t		 msg_id;	/* user: the stored prompt; 0: none */
	/* User: the prompt's branches (stored prompts with the same
	 * parent, tui_variants.c), oldest first: this is number branch
	 * (0-based) of nbranch; nbranch < 2: it has no siblings. */
	size_t		 branch;
	size_t		 nbranch;
	/* Plain items (user, info, error): source, clean text, lines. */
	char		*src;
	char		*clean;
	size_t		 cleanlen;
	struct wrap_line *wl;
	size_t		 nwl;
	int		 width;		/* of the cached layout */
	/* An answer read from the history whose rows are still an
	 * estimate (est_rows at est_width): it is laid out when it comes
	 * into view or by transcript_layout_due() (tui_transcript.c). */
	bool		 lazy;
	size_t		 est_rows;
	int		 est_width;
};

struct transcript;

struct transcript *transcript_create(void);
void		 transcript_free(struct transcript *);
/* Drop the items from index n on (a prompt edited into a new branch
 * replaces what followed it). */
void		 transcript_truncate(struct transcript *, size_t n);
/* Free an item that is not in a transcript (one built for a view). */
void		 item_free(struct item *);
void		 transcript_clear(struct transcript *);
struct item	*transcript_add(struct transcript *, enum item_kind,
		    const char *text);
struct item	*transcript_item(struct transcript *, size_t);
size_t		 transcript_count(const struct transcript *);
/* Add a variant to an assistant item; returns it. */
struct variant	*item_add_variant(struct item *, const char *label,
		    const char *text, int status, int64_t msg_id);
/* The variant streaming request id, or NULL. */
struct variant	*transcript_find_request(struct transcript *, uint64_t id,
		    struct item **itemp);
/* Something changed in item i (text appended, variant switched). */
void		 transcript_touch(struct transcript *, struct item *);
/* The source offset of the first row of item i on screen; 0 when its
 * start is on screen or below it. */
size_t		 transcript_visible_source(struct transcript *, size_t i);
/* Lay out answers read from the history that are not in view yet, the
 * last ones first, until about budget bytes of text were laid out; the
 * rows at the top of the view stay where they are. True while more are
 * left. */
bool		 transcript_layout_due(struct transcript *, size_t budget);
/* An item changed its height but nothing new arrived (its language
 * checks came): lay out again without the "new below" mark. */
void		 transcript_changed(struct transcript *);
/* Lay out at width (cheap when nothing changed) and draw rows
 * [top, top + height) of the screen. */
void		 transcript_draw(struct transcript *, int top, int height,
		    int width);
void		 transcript_scroll(struct transcript *, int n);
void		 transcript_scroll_top(struct transcript *);
void		 transcript_follow(struct transcript *);
bool		 transcript_following(const struct transcript *);
/* Whether text arrived below the view while scrolled up. */
bool		 transcript_new_below(const struct transcript *);
/* The word an answer's status shows beside its label ("…", "cut",
 * "failed", "cancelled"); NULL for a complete answer. */
const char	*status_word(int status);
/* The last assistant item, or NULL. */
struct item	*transcript_last_answer(struct transcript *);
/* The answer of the last turn: the last assistant item when no prompt
 * follows it (notes and warnings may); NULL when there is none. *prompt
 * (when not NULL) is set to its prompt's item, NULL when it has none. */
struct item	*transcript_turn_answer(struct transcript *,
		    struct item **prompt);
/*
 * The selected item (selection mode, tui_select.c): drawn with a bar in
 * the margin and scrolled into view at the next draw. Clearing the
 * transcript clears the selection.
 */
void		 transcript_select(struct transcript *, size_t i);
void		 transcript_unselect(struct transcript *);
/* Whether an item is selected, and which (*ip). */
bool		 transcript_selected(const struct transcript *, size_t *ip);
/* The passage being chosen in the shown answer of item i (highlighted
 * as the selection); i past the end: none. */
void		 transcript_set_passage(struct transcript *, size_t i,
		    struct passage);
/* Scroll so that the row of item i showing source byte src is in view. */
void		 transcript_show_source(struct transcript *, size_t i,
		    size_t src);

/* ------------------------------------------------------------------ */
/* The whole interface's state (tui.c), shared with the commands and the
 * browser. */

enum tui_mode {
	MODE_CHAT,
	MODE_HELP,
	MODE_MENU,		/* a list to pick from: models, history */
	MODE_FIRST_RUN,
	MODE_INSPECT,		/* one answer inspected (tui_inspect.c) */
};

enum menu_kind {
	MENU_MODELS,
	MENU_HISTORY,
};

/* A list overlay: the model picker and the history browser. */
struct menu {
	enum menu_kind	 kind;
	char		*title;
	char		**lines;
	char		**values;	/* model spec, or NULL */
	int64_t		*ids;		/* conversation id, or 0 */
	size_t		 n;
	size_t		 sel;
	size_t		 top;
	struct buf	 query;		/* typed filter (history) */
	int64_t		 confirm_id;	/* asking "delete?" for this id */
};

struct cmpview;
struct inspect;

struct tui {
	const struct config	*config;
	struct config		*own_config;	/* the demo's */
	struct store		*store;
	struct store		*own_store;	/* the demo's */
	/* What the budgets are checked against: store, or with --no-log
	 * the existing history opened for that alone (NULL: none). */
	struct store		*spend_store;
	struct demo		*demo;
	struct net		*net;
	struct session		*session;
	struct transcript	*tr;
	bool			 lc_due;	/* a variant's lc_due may be set */
	bool			 layout_due;	/* lazy items may be left */
	struct editor		*ed;
	struct keydec		*kd;
	const struct tui_options *opts;

	char			*model;		/* "provider:model" */
	char			*system;	/* /system, or NULL */
	char			*title;
	enum tui_mode		 mode;
	struct menu		 menu;
	size_t			 help_top;
	bool			 quit;
	bool			 dirty;
	bool			 full_redraw;
	int			 rows, cols;

	/* Status line. */
	int64_t			 tok_in, tok_out;
	double			 cost;
	bool			 cost_unknown;
	int			 spin;
	int64_t			 spin_ms;
	uint64_t		 deltas;	/* text events of this turn */
	char			*note;		/* a passing message */
	int64_t			 note_until;

	char			*queued;	/* a prompt sent while busy */
	struct key		 prefix;
	bool			 has_prefix;
	int			 interrupts;	/* C-c presses in a row */
	char			 lang[8];	/* of the last answer */

	/* Compare: the models every prompt goes to (/compare, /sample,
	 * --compare, --samples; nfan 0: t->model alone), and the view of
	 * answers side by side (NULL: the transcript is shown). */
	char			**fan;
	size_t			 nfan;
	struct cmpview		*cmp;

	/* Selection mode: a message of the transcript is chosen and keys
	 * act on it (tui_select.c). */
	bool			 selecting;

	/* Spend limits (tui_budget.c): the spend shown on the status line
	 * (NULL when no budget is set), and the prompt the user was told
	 * is over budget (sending it again is the yes). */
	struct budget_spend	 spend;
	char			*spend_line;
	char			*over_budget;

	/* The stored prompt being edited into a new branch (0: none). */
	int64_t			 edit_from;
	struct inspect		*insp;		/* MODE_INSPECT */

	/* Annotating an answer: a prompt, an editor, a passage being
	 * chosen or the side panel (tui_annot.c); NULL: none. */
	struct annot_ui		*annot;
	struct blind		*blind;		/* a blind vote (tui_blind.c) */
};

/* tui.c */
void	tui_note(struct tui *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	tui_info(struct tui *, enum item_kind, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	tui_send(struct tui *, const char *prompt);
int	tui_open_conversation(struct tui *, int64_t id, char **cause);
/* The same, showing the path to the stored message leaf (< 0: the
 * newest message) and continuing from it. */
int	tui_open_conversation_at(struct tui *, int64_t id, int64_t leaf,
	    char **cause);
void	tui_new_conversation(struct tui *);

/* tui_variants.c: prompts as branches. */
void	item_count_branches(struct item *, const struct stored_message *m,
	    const struct stored_message *msgs, size_t n);
/* Number the branches of a stored prompt item from the store. */
void	tui_branch_count(struct tui *, struct item *);
/* e on a prompt, /edit: put the prompt in the editor; the next send makes
 * it a new branch. */
void	tui_edit_prompt(struct tui *, struct item *, size_t index);
void	tui_edit_last_prompt(struct tui *);
void	tui_edit_cancel(struct tui *);
/* Before sending an edited prompt: branch the session from it; *keep is
 * the number of transcript items to keep. -1 when it cannot be done. */
int	tui_branch_begin(struct tui *, size_t *keep);
/* Left/Right on a chosen prompt: show its previous or next branch. */
void	tui_branch_switch(struct tui *, struct item *, size_t index, int dir);
/* c on a chosen prompt: its branches side by side. */
void	tui_compare_branches(struct tui *, struct item *, size_t index);

/* tui_budget.c: read the spend again (after an answer, on opening). */
void	tui_budget_refresh(struct tui *);
/* Before sending prompt ("" for a retry) to specs: 0 to send, -1 when a
 * budget is spent and this is not the second time it is sent. */
int	tui_budget_check(struct tui *, const char *prompt,
	    const char *const *specs, size_t nspecs);

/* tui_commands.c: a line starting with '/'. Returns 0 when handled. */
int	tui_command(struct tui *, const char *line);
/* Tab: complete the /command being typed. */
void	tui_complete(struct tui *);
void	tui_switch_sibling(struct tui *, int dir);
void	tui_retry(struct tui *);
/* Put text on the clipboard (OSC 52) or, when the terminal takes none,
 * into a file; what names it in the note ("the answer"). */
void	tui_copy_text(struct tui *, const char *text, size_t len,
	    const char *what);

/*
 * tui_select.c: selection mode. M-Up on the chat screen enters it with
 * the last answer chosen; Up/Down move between prompts and answers, and
 * the keys of select_actions[] act on the chosen one.
 */
void	tui_select_enter(struct tui *);
void	tui_select_leave(struct tui *);
/* A key while selecting: true when selection took it. */
bool	tui_select_key(struct tui *, const struct key *, enum action);
/* The hint shown on the rule above the editor while selecting. */
const char *tui_select_hint(const struct tui *);
/* Help lines for the selection keys; caller frees array and strings. */
size_t	select_help(char ***);

/*
 * tui_annot.c: annotations. The selection keys + - 0 t n v a (rows of
 * select_actions[]); then, while t->annot is set, its keys, its drawing
 * over the bottom rows of the transcript (tr_h: the transcript's height)
 * and its hint. tui_annot_sync() reads the annotations of answers whose
 * stored id changed (call it before drawing the transcript).
 */
void	tui_annot_rate_up(struct tui *, struct item *, size_t);
void	tui_annot_rate_down(struct tui *, struct item *, size_t);
void	tui_annot_rate_zero(struct tui *, struct item *, size_t);
void	tui_annot_tags(struct tui *, struct item *, size_t);
void	tui_annot_note(struct tui *, struct item *, size_t);
void	tui_annot_passage(struct tui *, struct item *, size_t);
void	tui_annot_panel(struct tui *, struct item *, size_t);
bool	tui_annot_key(struct tui *, const struct key *, enum action);
void	tui_annot_paste(struct tui *, const char *, size_t);
void	tui_annot_draw(struct tui *, int tr_h);
const char *tui_annot_hint(const struct tui *);
void	tui_annot_sync(struct tui *);
void	tui_annot_close(struct tui *);

/*
 * tui_blind.c: blind votes in the compare view (/blind): names hidden,
 * columns shuffled, 1-4 / t / b vote, then the names show.
 */
struct blind;
/* Open the vote on it (an answer) and its siblings; NULL: the last
 * answer. 0, or -1 with a note saying why not. */
int	tui_blind_open(struct tui *, struct item *);
void	tui_blind_end(struct tui *);
/* The column's name while a vote is open, else label. */
const char *tui_blind_label(const struct tui *, size_t col,
	    const char *label);
const char *tui_blind_hint(const struct tui *);
/* A key of the compare view: true when the vote took it. */
bool	tui_blind_key(struct tui *, const struct key *);

/* tui_compare.c: answers side by side over the transcript's area. */
/* Open the view on an assistant item with at least two answers; -1 when
 * it has fewer. */
int	tui_compare_open(struct tui *, struct item *);
void	tui_compare_close(struct tui *);
/* The branches of a prompt side by side: own is an assistant item made for
 * the view (one variant per branch: its newest answer), prompts[i] the
 * prompt of variant i. The view owns and frees both, also on failure. */
int	tui_compare_open_branches(struct tui *, struct item *own,
	    char **prompts, size_t n);
void	tui_compare_draw(struct tui *, int top, int height, int width);
/* A key while the view is open: true when the view took it. */
bool	tui_compare_key(struct tui *, const struct key *, enum action);
/* The open view's columns, left to right: the number, and (when not NULL)
 * each one's stored answer id (0 while it streams or when not stored)
 * and its variant in the item. */
size_t	tui_compare_columns(struct tui *, int64_t *ids, size_t *vis);
const char *tui_compare_label(struct tui *, size_t col);
/* Show the columns in another order: column i gets the old perm[i]. */
void	tui_compare_reorder(struct tui *, const size_t *perm);
/* Send the next prompts to these models (NULL or 0: the model alone). */
void	tui_set_fan(struct tui *, const char *const *, size_t);
/* tui_commands.c: k answers of t->model (/sample, --samples). */
void	tui_set_samples(struct tui *, size_t k);

/* tui_lang.c: the expected language (/lang) and the checks of answers. */
/* Check the variant's text against the expected language (v->lc). */
void	tui_lang_check(struct tui *, struct variant *);
/* The same, left for tui_lang_run_due(): the answers of a conversation
 * being opened, so its first screen does not wait for all of them. */
void	tui_lang_check_later(struct tui *, struct variant *);
/* Do due checks, the last answers first, until about budget bytes of
 * text were checked. Returns true while more are due. */
bool	tui_lang_run_due(struct tui *, size_t budget);
/* Check every ended answer of the transcript again (the expectation
 * changed), the last ones now and the rest as tui_lang_run_due(). */
void	tui_lang_recheck(struct tui *);
/* /lang [CODE|off]: set, show or clear the expected language. */
void	tui_lang_command(struct tui *, const char *arg);
/* The status line's part: "expect sl · hr" ("" when nothing to say). */
void	tui_lang_status(struct tui *, struct buf *);

/* tui_inspect.c: the inspection view of an answer. */
/* Open it on the shown answer of item it (the signature of a selection
 * action; index is the item's place in the transcript). */
void	tui_inspect(struct tui *, struct item *, size_t index);
void	tui_inspect_close(struct tui *);
void	inspect_draw(struct tui *);
void	inspect_key(struct tui *, const struct key *, enum action);

/* tui_browser.c: the menus (model picker, history browser) and help. */
/* Help lines for the commands; caller frees the array and strings. */
size_t	commands_help(char ***);

void	menu_open_models(struct tui *);
void	menu_open_history(struct tui *);
void	menu_release(struct menu *);
void	menu_key(struct tui *, const struct key *, enum action);
void	menu_draw(struct tui *);
void	help_draw(struct tui *);
/* Open the help scrolled to the first line that starts with prefix. */
void	help_open_at(struct tui *, const char *prefix);
void	help_key(struct tui *, const struct key *, enum action);

/* ------------------------------------------------------------------ */
/* Session additions used by the TUI live in tui/session.h. */

#endif
