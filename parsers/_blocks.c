/* The block scanner of parsers/blocks.py (scan_py) in C: the same blocks, heads and rows, byte for byte.
 *
 * Called only through parsers.blocks.scan, which normalizes the arguments and falls back to scan_py for
 * anything this code does not handle (non-str text, odd argument types). Lines are walked in place in the
 * text: no list of lines, no str made for a line that is dropped. str semantics kept exactly:
 *  - line ends are those of parsers.blocks.split_lines (\n, \r\n, a lone \r), see is_break;
 *  - strip()/rstrip()/split() whitespace is Py_UNICODE_ISSPACE, the test str itself uses;
 *  - a head's words are PyUnicode_Split(text, NULL, -1), i.e. str.split() itself.
 * Every index is checked against the length of the str it reads; every API result is checked.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#if PY_VERSION_HEX < 0x030C0000
#include "structmember.h"  /* PyMember_SetOne, T_OBJECT_EX: in Python.h from 3.12 */
#define Py_T_OBJECT_EX T_OBJECT_EX
#define Py_READONLY READONLY
#endif

/* A read-only view on the code points of a str the caller keeps alive. */
typedef struct {
    int kind;
    const void *data;
    Py_ssize_t len;
} View;

/* Views on the str items of a tuple (prefixes, closers...); the tuple keeps them alive. */
typedef struct {
    View *items;
    Py_ssize_t n;
} Views;

static PyObject *s_no, *s_text, *s_words_, *s_head, *s_words, *s_rows, *s_children;

static int
view_of(PyObject *str, View *v)
{
    if (!PyUnicode_Check(str)) {
        PyErr_SetString(PyExc_TypeError, "expected str");
        return -1;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(str) < 0)
        return -1;
#endif
    v->kind = PyUnicode_KIND(str);
    v->data = PyUnicode_DATA(str);
    v->len = PyUnicode_GET_LENGTH(str);
    return 0;
}

/* None -> no views (n = 0, items NULL); otherwise a tuple of str. */
static int
views_of(PyObject *tuple, Views *out)
{
    out->items = NULL;
    out->n = 0;
    if (tuple == Py_None)
        return 0;
    if (!PyTuple_Check(tuple)) {
        PyErr_SetString(PyExc_TypeError, "expected a tuple of str");
        return -1;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(tuple);
    if (n == 0)
        return 0;
    out->items = PyMem_New(View, n);
    if (out->items == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (view_of(PyTuple_GET_ITEM(tuple, i), &out->items[i]) < 0) {
            PyMem_Free(out->items);
            out->items = NULL;
            return -1;
        }
    }
    out->n = n;
    return 0;
}

static inline Py_UCS4
at(const View *v, Py_ssize_t i)
{
    return PyUnicode_READ(v->kind, v->data, i);
}

/* The line ends of split_lines: \n and \r (\r\n is one, see the scan loop). Not the other str.splitlines
 * boundaries (\v \f \x1c-\x1e \x85 \u2028 \u2029): inside a description they would cut the line in two. */
static inline int
is_break(Py_UCS4 c)
{
    return c == '\n' || c == '\r';
}

/* is_break for the code points of a 1-byte str, filled at import */
static unsigned char break_1byte[256];

/* t[start:end] starts with p (0 <= start <= end <= t->len). */
static int
starts(const View *t, Py_ssize_t start, Py_ssize_t end, const View *p)
{
    if (p->len > end - start)
        return 0;
    if (p->kind == t->kind)  /* same storage width: code points equal iff bytes equal */
        return memcmp((const char *)t->data + start * t->kind, p->data, (size_t)p->len * p->kind) == 0;
    for (Py_ssize_t i = 0; i < p->len; i++)
        if (at(t, start + i) != at(p, i))
            return 0;
    return 1;
}

static int
starts_any(const View *t, Py_ssize_t start, Py_ssize_t end, const Views *ps)
{
    for (Py_ssize_t i = 0; i < ps->n; i++)
        if (starts(t, start, end, &ps->items[i]))
            return 1;
    return 0;
}

static int
equals_any(const View *t, Py_ssize_t start, Py_ssize_t end, const Views *ps)
{
    for (Py_ssize_t i = 0; i < ps->n; i++)
        if (ps->items[i].len == end - start && starts(t, start, end, &ps->items[i]))
            return 1;
    return 0;
}

/* A __slots__ attribute set the way `obj.name = v` sets it: through its member descriptor, looked up once per
 * scan (PyMember_SetOne, the descriptor's own setter); PyObject_SetAttr when the class is not a plain
 * __slots__ class (own __setattr__, a property...). */
typedef struct {
    PyObject *name;
    PyObject *descr;   /* owned, or NULL: use PyObject_SetAttr */
    PyMemberDef *member;
} Slot;

static int
slot_init(Slot *slot, PyTypeObject *tp, PyObject *name)
{
    slot->name = name;
    slot->descr = NULL;
    slot->member = NULL;
    if (tp->tp_setattro != PyObject_GenericSetAttr)
        return 0;
    PyObject *d = PyObject_GetAttr((PyObject *)tp, name);
    if (d == NULL) {
        PyErr_Clear();  /* no such class attribute: PyObject_SetAttr gives the error pure Python gives */
        return 0;
    }
    if (Py_IS_TYPE(d, &PyMemberDescr_Type) && PyType_IsSubtype(tp, PyDescr_TYPE(d))) {
        PyMemberDef *m = ((PyMemberDescrObject *)d)->d_member;
        if (m->type == Py_T_OBJECT_EX && !(m->flags & Py_READONLY)) {
            slot->descr = d;
            slot->member = m;
            return 0;
        }
    }
    Py_DECREF(d);
    return 0;
}

static int
slot_set(const Slot *slot, PyObject *obj, PyObject *value)
{
    if (slot->member != NULL)
        return PyMember_SetOne((char *)obj, slot->member, value);
    return PyObject_SetAttr(obj, slot->name, value);
}

enum { L_NO, L_TEXT, L_WORDS, B_HEAD, B_WORDS, B_ROWS, B_CHILDREN, N_SLOTS };

/* The scan's state; every PyObject here is an owned reference or NULL. */
typedef struct {
    PyObject *text;
    View t;
    Views prefixes, skip, skip_except, heads, closers;
    View comment;
    PyObject *keep;      /* callable, or NULL: keep = starts with prefixes and not with skip (unless skip_except) */
    PyObject *submode;   /* callable or NULL */
    int sections;
    PyTypeObject *line_type, *block_type;
    Slot slots[N_SLOTS];
    PyObject *blocks;    /* the result list */
    PyObject *rows;      /* the current block's rows (its `add`), or NULL */
    PyObject *vocab;     /* the current flush-left vocabulary, or NULL */
} Scan;

/* keep's verdict on t[a:b]: 1, 0, or -1 with an exception. When keep is a callable, *made receives the str it
 * was called with (a new reference, for the head if the line is kept). */
static int
kept(Scan *s, Py_ssize_t a, Py_ssize_t b, PyObject **made)
{
    *made = NULL;
    if (s->keep == NULL)
        return starts_any(&s->t, a, b, &s->prefixes)
               && (!starts_any(&s->t, a, b, &s->skip) || starts_any(&s->t, a, b, &s->skip_except));
    PyObject *line = PyUnicode_Substring(s->text, a, b);
    if (line == NULL)
        return -1;
    PyObject *r = PyObject_CallOneArg(s->keep, line);
    if (r == NULL) {
        Py_DECREF(line);
        return -1;
    }
    int truth = PyObject_IsTrue(r);
    Py_DECREF(r);
    if (truth < 0) {
        Py_DECREF(line);
        return -1;
    }
    *made = line;
    return truth;
}

/* A new instance of a __slots__ class without running its __init__ (object.__new__(tp)). */
static PyObject *
bare(PyTypeObject *tp)
{
    return tp->tp_alloc(tp, 0);
}

/* The str t[a:b]: `made` (stolen) when keep already made it. */
static PyObject *
line_text(Scan *s, Py_ssize_t a, Py_ssize_t b, PyObject *made)
{
    return made ? made : PyUnicode_Substring(s->text, a, b);
}

/* Append Block(Line(no, text)) and make it the current block (its rows take the children, no vocabulary). */
static int
open_block(Scan *s, Py_ssize_t no, PyObject *text)
{
    PyObject *words = NULL, *num = NULL, *head = NULL, *block = NULL, *rows = NULL;
    if ((words = PyUnicode_Split(text, NULL, -1)) == NULL || (num = PyLong_FromSsize_t(no)) == NULL
            || (head = bare(s->line_type)) == NULL || (block = bare(s->block_type)) == NULL
            || (rows = PyList_New(0)) == NULL)
        goto error;
    const Slot *sl = s->slots;
    if (slot_set(&sl[L_NO], head, num) < 0 || slot_set(&sl[L_TEXT], head, text) < 0
            || slot_set(&sl[L_WORDS], head, words) < 0 || slot_set(&sl[B_HEAD], block, head) < 0
            || slot_set(&sl[B_WORDS], block, words) < 0 || slot_set(&sl[B_ROWS], block, rows) < 0
            || slot_set(&sl[B_CHILDREN], block, Py_None) < 0 || PyList_Append(s->blocks, block) < 0)
        goto error;
    Py_XSETREF(s->rows, rows);
    Py_CLEAR(s->vocab);
    Py_DECREF(words);
    Py_DECREF(num);
    Py_DECREF(head);
    Py_DECREF(block);
    return 0;
error:
    Py_XDECREF(words);
    Py_XDECREF(num);
    Py_XDECREF(head);
    Py_XDECREF(block);
    Py_XDECREF(rows);
    return -1;
}

/* rows.append((no, t[a:b])) */
static int
add_row(Scan *s, Py_ssize_t no, Py_ssize_t a, Py_ssize_t b)
{
    PyObject *num = PyLong_FromSsize_t(no);
    if (num == NULL)
        return -1;
    PyObject *text = PyUnicode_Substring(s->text, a, b);
    if (text == NULL) {
        Py_DECREF(num);
        return -1;
    }
    PyObject *row = PyTuple_New(2);
    if (row == NULL) {
        Py_DECREF(num);
        Py_DECREF(text);
        return -1;
    }
    PyTuple_SET_ITEM(row, 0, num);  /* steals */
    PyTuple_SET_ITEM(row, 1, text);
    int r = PyList_Append(s->rows, row);
    Py_DECREF(row);
    return r;
}

/* `w in vocab` for w = t[a:b]: 1, 0 or -1. */
static int
in_vocab(Scan *s, Py_ssize_t a, Py_ssize_t b)
{
    PyObject *w = PyUnicode_Substring(s->text, a, b);
    if (w == NULL)
        return -1;
    int r = PySequence_Contains(s->vocab, w);
    Py_DECREF(w);
    return r;
}

/* The flush-left vocabulary test on t[a:b] (rstripped): words = line.split(None, 2), then
 * words[0] in vocab or (len(words) > 1 and f"{words[0]} {words[1]}" in vocab). */
static int
vocab_has(Scan *s, Py_ssize_t a, Py_ssize_t b)
{
    const View *t = &s->t;
    Py_ssize_t w0 = a;
    while (w0 < b && Py_UNICODE_ISSPACE(at(t, w0)))
        w0++;
    if (w0 == b)
        return 0;  /* no words */
    Py_ssize_t e0 = w0;
    while (e0 < b && !Py_UNICODE_ISSPACE(at(t, e0)))
        e0++;
    int r = in_vocab(s, w0, e0);
    if (r != 0)
        return r;
    Py_ssize_t w1 = e0;
    while (w1 < b && Py_UNICODE_ISSPACE(at(t, w1)))
        w1++;
    if (w1 == b)
        return 0;  /* one word */
    Py_ssize_t e1 = w1;
    while (e1 < b && !Py_UNICODE_ISSPACE(at(t, e1)))
        e1++;
    if (w1 == e0 + 1 && at(t, e0) == ' ')  /* already "w0 w1" in the text */
        return in_vocab(s, w0, e1);
    PyObject *first = PyUnicode_Substring(s->text, w0, e0);
    if (first == NULL)
        return -1;
    PyObject *second = PyUnicode_Substring(s->text, w1, e1);
    if (second == NULL) {
        Py_DECREF(first);
        return -1;
    }
    PyObject *two = PyUnicode_FromFormat("%U %U", first, second);
    Py_DECREF(first);
    Py_DECREF(second);
    if (two == NULL)
        return -1;
    r = PySequence_Contains(s->vocab, two);
    Py_DECREF(two);
    return r;
}

/* vocab = submode(head) unless the head t[a:b] starts with none of heads (when heads are given). */
static int
set_vocab(Scan *s, Py_ssize_t a, Py_ssize_t b, PyObject *head)
{
    Py_CLEAR(s->vocab);
    if (s->submode == NULL || (s->heads.n && !starts_any(&s->t, a, b, &s->heads)))
        return 0;
    PyObject *v = PyObject_CallOneArg(s->submode, head);
    if (v == NULL)
        return -1;
    if (v == Py_None)
        Py_DECREF(v);
    else
        s->vocab = v;
    return 0;
}

/* An indented (or empty) line t[a:e]. */
static int
indented(Scan *s, Py_ssize_t no, Py_ssize_t a, Py_ssize_t e, int in_section)
{
    const View *t = &s->t;
    Py_ssize_t lo = a, hi = e;
    int stripped = 0;
    if (in_section && a < e && at(t, a) == ' ' && !(a + 1 < e && at(t, a + 1) == ' ')) {
        while (lo < hi && Py_UNICODE_ISSPACE(at(t, lo)))
            lo++;
        while (hi > lo && Py_UNICODE_ISSPACE(at(t, hi - 1)))
            hi--;
        stripped = 1;
        if (lo < hi) {  /* a one-space-in global command of a VRP/Comware section */
            PyObject *made = NULL;
            int k = 0;
            if (!starts(t, lo, hi, &s->comment) && !equals_any(t, lo, hi, &s->closers)
                    && (k = kept(s, lo, hi, &made)) < 0)
                return -1;
            if (k) {
                PyObject *text = line_text(s, lo, hi, made);
                if (text == NULL)
                    return -1;
                k = open_block(s, no, text);
                Py_DECREF(text);
                return k;
            }
            Py_XDECREF(made);
            Py_CLEAR(s->rows);
            return 0;
        }
    }
    if (s->rows == NULL)
        return 0;  /* the child of a dropped block: the common case, nothing made */
    if (!stripped) {
        while (lo < hi && Py_UNICODE_ISSPACE(at(t, lo)))
            lo++;
        while (hi > lo && Py_UNICODE_ISSPACE(at(t, hi - 1)))
            hi--;
    }
    if (lo == hi || starts(t, lo, hi, &s->comment))
        return 0;
    if (equals_any(t, lo, hi, &s->closers)) {
        Py_CLEAR(s->vocab);  /* an explicit exit ends flush-left continuation too */
        return 0;
    }
    return add_row(s, no, lo, hi);
}

/* A flush-left line t[a:e]; *in_section is updated. */
static int
flush_left(Scan *s, Py_ssize_t no, Py_ssize_t a, Py_ssize_t e, int *in_section)
{
    const View *t = &s->t;
    Py_ssize_t b = e;
    while (b > a && Py_UNICODE_ISSPACE(at(t, b - 1)))
        b--;
    *in_section = 0;
    if (starts(t, a, b, &s->comment)) {
        Py_CLEAR(s->vocab);
        if (s->sections) {
            Py_CLEAR(s->rows);
            *in_section = 1;
        }
        return 0;
    }
    if (s->vocab != NULL && s->rows != NULL) {
        int r = vocab_has(s, a, b);
        if (r < 0)
            return -1;
        if (r)
            return add_row(s, no, a, b);
    }
    if (equals_any(t, a, b, &s->closers)) {
        Py_CLEAR(s->vocab);
        return 0;
    }
    PyObject *made = NULL;
    int k = kept(s, a, b, &made);
    if (k < 0)
        return -1;
    if (!k) {
        Py_XDECREF(made);
        Py_CLEAR(s->rows);
        Py_CLEAR(s->vocab);
        return 0;
    }
    PyObject *text = line_text(s, a, b, made);
    if (text == NULL)
        return -1;
    if (open_block(s, no, text) < 0 || set_vocab(s, a, b, text) < 0)
        k = -1;
    else
        k = 0;
    Py_DECREF(text);
    return k;
}

static PyObject *
blocks_scan(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    /* scan(text, prefixes, skip, skip_except, keep, submode, heads, comment, closers, sections, Line, Block) */
    if (nargs != 12) {
        PyErr_SetString(PyExc_TypeError, "scan() takes 12 arguments");
        return NULL;
    }
    Scan s = {0};
    PyObject *result = NULL;
    s.text = args[0];
    if (!PyUnicode_CheckExact(s.text) || !PyUnicode_CheckExact(args[7]) || !PyType_Check(args[10])
            || !PyType_Check(args[11])) {
        PyErr_SetString(PyExc_TypeError, "scan(): text and comment must be str, Line and Block types");
        return NULL;
    }
    if ((args[4] != Py_None && !PyCallable_Check(args[4])) || (args[5] != Py_None && !PyCallable_Check(args[5]))) {
        PyErr_SetString(PyExc_TypeError, "scan(): keep and submode must be callables or None");
        return NULL;
    }
    if (view_of(s.text, &s.t) < 0 || view_of(args[7], &s.comment) < 0 || views_of(args[1], &s.prefixes) < 0
            || views_of(args[2], &s.skip) < 0 || views_of(args[3], &s.skip_except) < 0
            || views_of(args[6], &s.heads) < 0 || views_of(args[8], &s.closers) < 0)
        goto done;
    s.keep = args[4] == Py_None ? NULL : args[4];
    s.submode = args[5] == Py_None ? NULL : args[5];
    s.sections = PyObject_IsTrue(args[9]);
    if (s.sections < 0)
        goto done;
    s.line_type = (PyTypeObject *)args[10];
    s.block_type = (PyTypeObject *)args[11];
    PyObject *names[N_SLOTS] = {s_no, s_text, s_words_, s_head, s_words, s_rows, s_children};
    for (int k = 0; k < N_SLOTS; k++)
        slot_init(&s.slots[k], k < B_HEAD ? s.line_type : s.block_type, names[k]);
    if ((s.blocks = PyList_New(0)) == NULL)
        goto done;

    const View *t = &s.t;
    Py_ssize_t n = t->len, i = 0, no = 0;
    int in_section = 0;
    while (i < n) {
        Py_ssize_t a = i, e = i;
        if (t->kind == PyUnicode_1BYTE_KIND) {
            const Py_UCS1 *d = (const Py_UCS1 *)t->data;
            while (e < n && !break_1byte[d[e]])
                e++;
        }
        else {
            while (e < n && !is_break(at(t, e)))
                e++;
        }
        i = e;
        if (e < n)  /* past the break; \r\n is one */
            i = (at(t, e) == '\r' && e + 1 < n && at(t, e + 1) == '\n') ? e + 2 : e + 1;
        no++;
        int r;
        Py_UCS4 c0 = a < e ? at(t, a) : ' ';
        if (c0 == ' ' || c0 == '\t')  /* also the empty line */
            r = indented(&s, no, a, e, in_section);
        else
            r = flush_left(&s, no, a, e, &in_section);
        if (r < 0)
            goto done;
    }
    result = s.blocks;
    s.blocks = NULL;
done:
    Py_XDECREF(s.blocks);
    Py_XDECREF(s.rows);
    Py_XDECREF(s.vocab);
    for (int k = 0; k < N_SLOTS; k++)
        Py_XDECREF(s.slots[k].descr);
    PyMem_Free(s.prefixes.items);
    PyMem_Free(s.skip.items);
    PyMem_Free(s.skip_except.items);
    PyMem_Free(s.heads.items);
    PyMem_Free(s.closers.items);
    return result;
}

static PyMethodDef methods[] = {
    {"scan", (PyCFunction)(void (*)(void))blocks_scan, METH_FASTCALL,
     "scan(text, prefixes, skip, skip_except, keep, submode, heads, comment, closers, sections, Line, Block)\n"
     "The loop of parsers.blocks.scan_py; call it through parsers.blocks.scan."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_blocks", "Compiled block scanner (see parsers/blocks.py).", -1, methods,
};

PyMODINIT_FUNC
PyInit__blocks(void)
{
    if ((s_no = PyUnicode_InternFromString("no")) == NULL || (s_text = PyUnicode_InternFromString("text")) == NULL
            || (s_words_ = PyUnicode_InternFromString("_words")) == NULL
            || (s_head = PyUnicode_InternFromString("head")) == NULL
            || (s_words = PyUnicode_InternFromString("words")) == NULL
            || (s_rows = PyUnicode_InternFromString("rows")) == NULL
            || (s_children = PyUnicode_InternFromString("_children")) == NULL)
        return NULL;
    for (int c = 0; c < 256; c++)
        break_1byte[c] = (unsigned char)is_break((Py_UCS4)c);
    return PyModule_Create(&module);
}
