/* The lost-letter restorer's decoder in C, after the Python package pipeline/restore/:
 *   - template filling, fills.py's _fills (fills, fills_and_words), with the word scores
 *     of words.py's Lexicon (word, token, good, all_known, compound) and charmodel.py's
 *     character model;
 *   - the Viterbi pass over one line and the repairs' margins, decoder.py's _Decoder.line
 *     (decode_line);
 *   - the quieter signs of damage, signals.py's _weak_signals (weak_signals).
 * Word scores work on Latin-1 text (every Swedish letter is); decode_line takes any line
 * and asks the Python package's own checks about the chunks that hold other characters.
 *
 * The Python package stays the reference. This file follows it step by step, adding the
 * same numbers in the same order, so that its fillings, scores and repairs are the same
 * floats (tests/test_decode.py compares the two on 004, simulated damage and generated
 * templates, tokens and lines). What the package computes with regular expressions and
 * str methods is done here with a table of character classes that cdecoder.py fills in
 * from those very regular expressions and methods, for the 256 Latin-1 characters; it
 * hands over the lexicon's tables and the constants too. Text this file does not handle
 * (other characters, a word longer than MAX_TEXT) gets None from the method, and the
 * package does that piece itself.
 *
 * Why C: the Python version spends its time on making and hashing small strings and on
 * dict lookups in a 334 000-word table; here a candidate word is a few bytes on the
 * stack and the word table an open-addressing hash over one block of memory.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define MAX_TEXT 255
#define NEG (-1e18)
#define MAX_OPTS 8
#define MAX_RESULTS 6
#if PY_VERSION_HEX < 0x030C0000
#define READY(o) PyUnicode_READY(o)
#else
#define READY(o) 0  /* strings are always ready from Python 3.12 */
#endif

/* character classes, one bit each; cdecoder.py computes them (see _char_classes) */
enum {
    C_ALPHA = 1,     /* str.isalpha */
    C_UPPER = 2,     /* str.isupper of the one character */
    C_LOWER = 4,     /* str.islower of the one character */
    C_DIGIT = 8,     /* str.isdigit */
    C_DECIMAL = 16,  /* regex \d */
    C_WORD = 32,     /* regex \w */
    C_LETTER = 64,   /* regex [^\W\d_], tokens.py's _LETTERS */
    C_SPACE = 128,   /* regex \s */
};

/* ---- a string -> double map over one block of memory ------------------------------ */
/* slot: high 32 bits a check hash, low 32 bits the entry's offset + 1 in the arena (0:
 * empty). Entry: a length byte, the key's bytes, padding to 8, the value. */
typedef struct {
    uint64_t *slots;
    uint64_t mask;
    unsigned char *arena;
    size_t used, cap;
    size_t count;
} StrMap;

static uint64_t hash_bytes(const unsigned char *s, Py_ssize_t n) {
    uint64_t h = 1469598103934665603ULL;  /* FNV-1a, then a final mix */
    for (Py_ssize_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return h;
}

static int map_init(StrMap *m, size_t expected) {
    size_t size = 16;
    while (size < expected * 2) size <<= 1;
    m->slots = PyMem_Calloc(size, sizeof(uint64_t));
    m->mask = size - 1;
    m->cap = 4096;
    m->arena = PyMem_Malloc(m->cap);
    m->used = 8;  /* offset 0 is never an entry */
    m->count = 0;
    if (!m->slots || !m->arena) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static void map_free(StrMap *m) {
    PyMem_Free(m->slots);
    PyMem_Free(m->arena);
    m->slots = NULL;
    m->arena = NULL;
}

static void map_clear(StrMap *m) {
    memset(m->slots, 0, (m->mask + 1) * sizeof(uint64_t));
    m->used = 8;
    m->count = 0;
}

/* the value of key s (NULL if absent) */
static inline const double *map_get_hashed(const StrMap *m, const unsigned char *s, Py_ssize_t n, uint64_t h) {
    uint64_t check = h >> 32;
    for (uint64_t i = h & m->mask;; i = (i + 1) & m->mask) {
        uint64_t slot = m->slots[i];
        if (!slot) return NULL;
        if ((slot >> 32) != check) continue;
        const unsigned char *e = m->arena + (uint32_t)slot - 1;
        if (e[0] == n && memcmp(e + 1, s, n) == 0) {
            size_t at = ((size_t)(e - m->arena) + 1 + n + 7) & ~(size_t)7;
            return (const double *)(m->arena + at);
        }
    }
}

static inline const double *map_get(const StrMap *m, const unsigned char *s, Py_ssize_t n) {
    return map_get_hashed(m, s, n, hash_bytes(s, n));
}

/* A filter in front of the word table (a blocked Bloom filter: two bits of one 64-bit
 * word per key, 512 KB). Most strings the decoder asks about are no words, and the table
 * (14 MB) answers each from a memory read that misses every cache; the filter, small
 * enough to stay in cache, turns nearly all of those away (about 3 % get through). */
#define FILTER_WORDS (1 << 16)

static inline uint64_t filter_bits(uint64_t h) {
    return (1ULL << ((h >> 50) & 63)) | (1ULL << ((h >> 56) & 63));
}

static inline int filter_may_hold(const uint64_t *filter, uint64_t h) {
    uint64_t bits = filter_bits(h);
    return (filter[(h >> 8) & (FILTER_WORDS - 1)] & bits) == bits;
}

static uint64_t *filter_of(const StrMap *m) {
    uint64_t *filter = PyMem_Calloc(FILTER_WORDS, sizeof(uint64_t));
    if (!filter) return (uint64_t *)PyErr_NoMemory();
    for (size_t i = 0; i <= m->mask; i++) {
        uint64_t slot = m->slots[i];
        if (!slot) continue;
        const unsigned char *e = m->arena + (uint32_t)slot - 1;
        uint64_t h = hash_bytes(e + 1, e[0]);
        filter[(h >> 8) & (FILTER_WORDS - 1)] |= filter_bits(h);
    }
    return filter;
}

static int map_grow(StrMap *m) {
    size_t size = (m->mask + 1) * 2;
    uint64_t *slots = PyMem_Calloc(size, sizeof(uint64_t));
    if (!slots) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; i <= m->mask; i++) {
        uint64_t slot = m->slots[i];
        if (!slot) continue;
        const unsigned char *e = m->arena + (uint32_t)slot - 1;
        uint64_t h = hash_bytes(e + 1, e[0]);
        uint64_t j = h & (size - 1);
        while (slots[j]) j = (j + 1) & (size - 1);
        slots[j] = slot;
    }
    PyMem_Free(m->slots);
    m->slots = slots;
    m->mask = size - 1;
    return 0;
}

/* add or replace; keys longer than 255 bytes are not stored (returns 0 all the same) */
static int map_put(StrMap *m, const unsigned char *s, Py_ssize_t n, double value) {
    if (n > 255) return 0;
    double *old = (double *)map_get(m, s, n);
    if (old) {
        *old = value;
        return 0;
    }
    if ((m->count + 1) * 2 > m->mask + 1 && map_grow(m) < 0) return -1;
    size_t at = m->used;
    size_t vat = (at + 1 + n + 7) & ~(size_t)7;
    size_t end = vat + sizeof(double);
    if (end > UINT32_MAX - 1) {
        PyErr_SetString(PyExc_MemoryError, "word table too large");
        return -1;
    }
    if (end > m->cap) {
        size_t cap = m->cap;
        while (cap < end) cap *= 2;
        unsigned char *arena = PyMem_Realloc(m->arena, cap);
        if (!arena) {
            PyErr_NoMemory();
            return -1;
        }
        m->arena = arena;
        m->cap = cap;
    }
    m->arena[at] = (unsigned char)n;
    memcpy(m->arena + at + 1, s, n);
    memcpy(m->arena + vat, &value, sizeof(double));
    m->used = end;
    uint64_t h = hash_bytes(s, n);
    uint64_t i = h & m->mask;
    while (m->slots[i]) i = (i + 1) & m->mask;
    m->slots[i] = ((h >> 32) << 32) | (uint64_t)(at + 1);
    m->count++;
    return 0;
}

static int map_add(StrMap *m, PyObject *key, double value) {
    if (!PyUnicode_Check(key)) {
        PyErr_SetString(PyExc_TypeError, "keys must be str");
        return -1;
    }
    if (READY(key) < 0) return -1;
    if (PyUnicode_KIND(key) != PyUnicode_1BYTE_KIND) return 0; /* no Latin-1 text looks it up */
    return map_put(m, PyUnicode_1BYTE_DATA(key), PyUnicode_GET_LENGTH(key), value);
}

/* fill a map from a dict of str -> float, read in place (no list of pairs to make) */
static int map_from_dict(StrMap *m, PyObject *dict) {
    if (!PyDict_Check(dict)) {
        PyErr_SetString(PyExc_TypeError, "expected a dict of str -> float");
        return -1;
    }
    if (map_init(m, (size_t)PyDict_GET_SIZE(dict) + 16) < 0) return -1;
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        double v = PyFloat_AsDouble(value);
        if (v == -1.0 && PyErr_Occurred()) return -1;
        if (map_add(m, key, v) < 0) return -1;
    }
    return 0;
}

/* a set of strings, from a sequence of str */
static int map_from_strings(StrMap *m, PyObject *items) {
    PyObject *seq = PySequence_Fast(items, "expected a sequence of str");
    if (!seq) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    int rc = map_init(m, (size_t)n + 16);
    for (Py_ssize_t i = 0; i < n && rc == 0; i++) rc = map_add(m, PySequence_Fast_GET_ITEM(seq, i), 0.0);
    Py_DECREF(seq);
    return rc;
}

/* ---- the scorer ---------------------------------------------------------------------- */
typedef struct {
    unsigned char ch;
    double lp;
} Option;

typedef struct {
    int pos;
    int n;
    Option opts[MAX_OPTS];
} Point;

/* constants, in the order cdecoder.py's _c_scorer passes them */
enum {
    K_LOG_1E5, K_SINGLE_LETTER, K_LOG_1E7, K_ACRONYM, K_LOG_01, K_LOG_3E6, K_LOG_1E3,
    K_OOV, K_OOV_CAPITAL, K_SHORT_FRAGMENT, K_MODIFIER_BONUS, K_EXTRA_PART,
    K_INFLECTED_MODIFIER, K_INFLECTION, K_LOG_1E6, K_COMMON, K_ABBREVIATION, K_COMMA_ALONE,
    K_DASH_ALONE, K_PUNCT_ALONE, K_ADDRESS_FRAGMENT, K_DIGITS, K_SEPARATOR, K_HYPHEN,
    K_GLUED_HYPHEN, K_PRUNE_MARGIN, K_MIN_START_PER_CHAR,
    K_EXTRA_SPACE, K_EXTRA_TRAIL, K_COUNT
};

/* a gap of this many spaces or more between two tokens separates a table's columns: it
 * holds no lost letter (decoder.py's _WIDE_GAP) */
#define WIDE_GAP 4

typedef struct PruneEntry {
    int n;
    Option opts[MAX_OPTS];
} PruneEntry;

typedef struct {
    PyObject_HEAD
    int ready; /* set when __init__ has finished: every method refuses a Scorer without it */
    StrMap logf, parts, short_words, short_names;
    uint64_t *logf_filter;
    StrMap word_cache, token_cache;
    /* the options a lost-letter slot keeps in a context (see prune): context -> index */
    StrMap prune_cache;
    struct PruneEntry *pruned;
    size_t pruned_cap;
    size_t cache_limit;
    Py_buffer steps_view, nexts_view;
    const double *steps;
    const int32_t *nexts;
    Py_ssize_t n_states;
    int width, end_code, start;
    int codes[256];
    /* the compound parts' trie (words.py's _trie) */
    Py_buffer first_view, child_code_view, child_node_view;
    const unsigned char *first, *child_code, *child_node;
    double *trie_end;
    Py_ssize_t trie_nodes;
    uint16_t cls[256];
    unsigned char lower[256];
    double k[K_COUNT];
    Option lower_opts[MAX_OPTS], upper_opts[MAX_OPTS];
    int n_lower, n_upper;
    Option ocr_opts[256][2];
    unsigned char is_ocr[256];
    int max_combinations;
    unsigned char one_letter[256];  /* the one-letter words: "i", "å", "ö" */
    /* the inflection suffixes (words.py's _SUFFIXES), for _oov and compound heads: by
     * length (1..7), each packed into an integer */
    uint64_t suffixes[8][64];
    int n_suffixes[8];
    /* the trie root's child for each character code (-1: none): every compound search
     * starts there, and the root has a child for nearly every letter */
    int32_t root_child[256];
} Scorer;

#define CLS(S, c) ((S)->cls[(unsigned char)(c)])

static int not_ready(const void *scorer);
#define REFUSE_UNLESS_READY(S)        \
    do {                              \
        if (not_ready(S)) return NULL; \
    } while (0)

static int str_isalpha(const Scorer *S, const unsigned char *s, Py_ssize_t n) {
    if (n == 0) return 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (!(CLS(S, s[i]) & C_ALPHA)) return 0;
    return 1;
}

/* str.isupper / str.islower: at least one cased character, none of the other case
 * (Latin-1 has no titlecase letters; cdecoder.py checks) */
static int all_cased_as(const Scorer *S, const unsigned char *s, Py_ssize_t n, uint16_t want, uint16_t other) {
    int cased = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        uint16_t c = CLS(S, s[i]);
        if (c & other) return 0;
        if (c & want) cased = 1;
    }
    return cased;
}

static int str_isupper(const Scorer *S, const unsigned char *s, Py_ssize_t n) {
    return all_cased_as(S, s, n, C_UPPER, C_LOWER);
}

static int str_islower(const Scorer *S, const unsigned char *s, Py_ssize_t n) {
    return all_cased_as(S, s, n, C_LOWER, C_UPPER);
}

static void to_lower(const Scorer *S, const unsigned char *s, Py_ssize_t n, unsigned char *out) {
    for (Py_ssize_t i = 0; i < n; i++) out[i] = S->lower[s[i]];
}

static inline uint64_t pack(const unsigned char *s, Py_ssize_t n) {
    uint64_t key = 0;
    for (Py_ssize_t i = 0; i < n; i++) key = (key << 8) | s[i];
    return key;
}

static int is_suffix(const Scorer *S, const unsigned char *s, Py_ssize_t n) {
    if (n < 1 || n > 7) return 0;
    uint64_t key = pack(s, n);
    for (int i = 0; i < S->n_suffixes[n]; i++)
        if (S->suffixes[n][i] == key) return 1;
    return 0;
}

/* -- the character model (charmodel.py: CharModel.read, ngram, state, prefix) -- */
static inline double model_read(const Scorer *S, int *state, const unsigned char *s, Py_ssize_t n,
                                double lp) {
    int st = *state;
    const double *steps = S->steps;
    const int32_t *nexts = S->nexts;
    int width = S->width;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t at = (Py_ssize_t)st * width + S->codes[s[i]];
        lp += steps[at];
        st = nexts[at];
    }
    *state = st;
    return lp;
}

static double ngram(const Scorer *S, const unsigned char *w, Py_ssize_t n) {
    int state = S->start;
    double lp = model_read(S, &state, w, n, 0.0);
    return lp + S->steps[(Py_ssize_t)state * S->width + S->end_code];
}

static int model_state(const Scorer *S, const unsigned char *s, Py_ssize_t n) {
    int state = 0;
    for (Py_ssize_t i = 0; i < n; i++) state = S->nexts[(Py_ssize_t)state * S->width + S->codes[s[i]]];
    return state;
}

/* -- short words (words.py: _short_word, Lexicon.good, all_known) -- */
static int short_word(const Scorer *S, const unsigned char *piece, Py_ssize_t n) {
    unsigned char lo[MAX_TEXT];
    to_lower(S, piece, n, lo);
    if (map_get(&S->short_words, lo, n)) return n > 1 || (n == 1 && S->one_letter[lo[0]]);
    return map_get(&S->short_names, lo, n) != NULL && (CLS(S, piece[0]) & C_UPPER);
}

/* the word table's log frequency of lo (NULL: no word) */
static inline const double *logf_get(const Scorer *S, const unsigned char *lo, Py_ssize_t n) {
    uint64_t h = hash_bytes(lo, n);
    if (!filter_may_hold(S->logf_filter, h)) return NULL;
    return map_get_hashed(&S->logf, lo, n, h);
}

static double logf_or(const Scorer *S, const unsigned char *lo, Py_ssize_t n, double dflt) {
    const double *v = logf_get(S, lo, n);
    return v ? *v : dflt;
}

/* the next run of letters (tokens.py's _LETTERS) from *i on: its start in *a, its end in
 * *i; 0 when there is none */
static inline int next_run(const Scorer *S, const unsigned char *s, Py_ssize_t n, Py_ssize_t *i, Py_ssize_t *a) {
    while (*i < n && !(CLS(S, s[*i]) & C_LETTER)) (*i)++;
    if (*i >= n) return 0;
    *a = *i;
    while (*i < n && (CLS(S, s[*i]) & C_LETTER)) (*i)++;
    return 1;
}

static int good(const Scorer *S, const unsigned char *chunk, Py_ssize_t n) {
    Py_ssize_t i = 0, a;
    while (next_run(S, chunk, n, &i, &a)) {
        const unsigned char *piece = chunk + a;
        Py_ssize_t len = i - a;
        unsigned char lo[MAX_TEXT];
        to_lower(S, piece, len, lo);
        if (len == 1) {
            if (!S->one_letter[lo[0]] && !(str_isupper(S, piece, 1) && n > 1)) return 0;
        } else if (len <= 3) {
            if (!str_isupper(S, piece, len) && !short_word(S, piece, len)) return 0;
        } else if (logf_or(S, lo, len, NEG) < S->k[K_LOG_1E6] && !str_isupper(S, piece, len)) {
            return 0;
        }
    }
    return 1;
}

static int all_known(const Scorer *S, const unsigned char *text, Py_ssize_t n) {
    unsigned char lo[MAX_TEXT];
    if (n > 3 && str_isalpha(S, text, n)) {
        to_lower(S, text, n, lo);
        return logf_or(S, lo, n, NEG) >= S->k[K_COMMON];
    }
    Py_ssize_t i = 0, a;
    while (next_run(S, text, n, &i, &a)) {
        Py_ssize_t len = i - a;
        to_lower(S, text + a, len, lo);
        if (len == 1) {
            if (!S->one_letter[lo[0]]) return 0;
        } else if (len <= 3) {
            if (!short_word(S, text + a, len)) return 0;
        } else if (logf_or(S, lo, len, NEG) < S->k[K_COMMON]) {
            return 0;
        }
    }
    return 1;
}

/* -- compounds (words.py: Lexicon.compound) -- */
static inline uint32_t read3(const unsigned char *b, Py_ssize_t k) {
    return (uint32_t)b[k] | ((uint32_t)b[k + 1] << 8) | ((uint32_t)b[k + 2] << 16);
}

/* _INFLECTED.search(w, i, j): w[i:j] ends in en, et, na, ar, er, or, ade, at, or a
 * letter other than a vowel followed by "a" */
static int inflected(const unsigned char *w, Py_ssize_t i, Py_ssize_t j) {
    if (j - i >= 3 && w[j - 3] == 'a' && w[j - 2] == 'd' && w[j - 1] == 'e') return 1;
    if (j - i < 2) return 0;
    unsigned char x = w[j - 2];
    switch (w[j - 1]) {
    case 'n': return x == 'e';
    case 't': return x == 'e' || x == 'a';
    case 'r': return x == 'a' || x == 'e' || x == 'o';
    case 'a': return !(x == 'a' || x == 'e' || x == 'i' || x == 'o' || x == 'u' || x == 'y' ||
                       x == 0xe5 || x == 0xe4 || x == 0xf6);
    default: return 0;
    }
}

static double compound(const Scorer *S, const unsigned char *w, Py_ssize_t n) {
    if (n < 6) return NEG;
    if (n > MAX_TEXT) abort(); /* every caller keeps to MAX_TEXT: its tables are that long */
    int codes[MAX_TEXT];
    for (Py_ssize_t i = 0; i < n; i++) codes[i] = S->codes[w[i]];
    double bonus = S->k[K_MODIFIER_BONUS], extra_part = S->k[K_EXTRA_PART];
    double inflected_modifier = S->k[K_INFLECTED_MODIFIER], log_inflection = S->k[K_INFLECTION];
    int endings[5], n_endings = -1;
    double best[MAX_TEXT + 1];
    for (Py_ssize_t i = 0; i <= n; i++) best[i] = NEG;
    best[0] = 0.0;
    double result = NEG;
    const unsigned char *first = S->first, *child_code = S->child_code, *child_node = S->child_node;
    for (Py_ssize_t i = 0; i < n - 2; i++) {
        double bi = best[i];
        if (bi == NEG) continue;
        if (i > 0 && n - i >= 4) {
            if (n_endings < 0) {
                n_endings = 0;
                for (int k = 1; k < 6; k++)
                    if (is_suffix(S, w + n - k, k)) endings[n_endings++] = k;
            }
            double head = NEG;
            Py_ssize_t longest = 5 < n - i - 3 ? 5 : n - i - 3;
            for (int e = 0; e < n_endings; e++) {
                int k = endings[e];
                if (k > longest) break;
                const double *hp = map_get(&S->parts, w + i, n - k - i);
                if (hp && *hp > head) head = *hp;
            }
            if (head != NEG) {
                double h = head + log_inflection;
                if (bi + h > result) result = bi + h;
            }
        }
        uint32_t node = 0;
        for (Py_ssize_t j = i + 1; j <= n; j++) {
            int c = codes[j - 1];
            if (j == i + 1) {
                if (S->root_child[c] < 0) break;
                node = (uint32_t)S->root_child[c];
            } else {
                Py_ssize_t k = 3 * (Py_ssize_t)node;
                uint32_t at = read3(first, k);
                uint32_t stop = read3(first, k + 3);
                while (at < stop && child_code[at] < c) at++;
                if (at == stop || child_code[at] != c) break;
                node = read3(child_node, 3 * (Py_ssize_t)at);
            }
            if (j - i < 3) continue;
            double p = S->trie_end[node];
            if (p == NEG) continue;
            if (j == n) {
                if (i > 0) {
                    double sc = bi + p;
                    if (sc > result) result = sc;
                }
                continue;
            }
            if (n - j < 3) continue;
            double sc = bi + p + bonus + (i > 0 ? extra_part : 0.0);
            if (inflected(w, i, j)) sc += inflected_modifier;
            if (sc > best[j]) best[j] = sc;
            if (w[j] == 's' && n - j > 3) {
                if (sc > best[j + 1]) best[j + 1] = sc;
            }
        }
    }
    return result;
}

/* -- words (words.py: Lexicon._oov, _word, word, _token, token) -- */
static double oov(const Scorer *S, const unsigned char *lo, Py_ssize_t n, int capital) {
    double lp = ngram(S, lo, n) + (capital ? S->k[K_OOV_CAPITAL] : S->k[K_OOV]);
    if (lp < -4.5 * (double)n) return lp;
    double comp = compound(S, lo, n);
    if (comp != NEG && comp > lp) lp = comp;
    Py_ssize_t top = 5 < n - 5 ? 5 : n - 5;
    for (Py_ssize_t k = 1; k <= top; k++) {
        if (is_suffix(S, lo + n - k, k)) {
            const double *stem = logf_get(S, lo, n - k);
            if (stem && *stem + S->k[K_INFLECTION] > lp) lp = *stem + S->k[K_INFLECTION];
        }
    }
    return lp;
}

static double word_uncached(const Scorer *S, const unsigned char *p, Py_ssize_t n) {
    unsigned char lo[MAX_TEXT];
    to_lower(S, p, n, lo);
    if (n == 1) {
        if (S->one_letter[lo[0]]) return logf_or(S, lo, 1, S->k[K_LOG_1E5]);
        return S->k[K_SINGLE_LETTER];
    }
    const double *base = logf_get(S, lo, n);
    if (str_isupper(S, p, n)) {
        if (base && n >= 4 && *base > S->k[K_LOG_1E7]) return *base;
        return n <= 5 ? S->k[K_ACRONYM] : oov(S, lo, n, 1) + S->k[K_LOG_01];
    }
    int inner_caps = n > 1 && !str_islower(S, p + 1, n - 1);
    int capital = (CLS(S, p[0]) & C_UPPER) != 0;
    double lp;
    if (n <= 3) {
        if (short_word(S, p, n))
            lp = base ? *base : S->k[K_LOG_1E7];
        else
            lp = ngram(S, lo, n) + S->k[K_OOV] + S->k[K_SHORT_FRAGMENT];
    } else if (base && *base > S->k[K_LOG_3E6]) {
        lp = *base;
    } else {
        double o = oov(S, lo, n, capital);
        lp = !base ? o : (o > *base ? o : *base);
    }
    if (inner_caps) lp += S->k[K_LOG_1E3];
    return lp;
}

static int cache_room(Scorer *S, StrMap *cache) {
    if (cache->count >= S->cache_limit) map_clear(cache);
    return 0;
}

static double word(Scorer *S, const unsigned char *p, Py_ssize_t n, int *error) {
    const double *hit = map_get(&S->word_cache, p, n);
    if (hit) return *hit;
    double lp = word_uncached(S, p, n);
    cache_room(S, &S->word_cache);
    if (map_put(&S->word_cache, p, n, lp) < 0) *error = 1;
    return lp;
}

/* _DOTTED: ^[(]?(?:[a-zåäö]{1,3}\.){2,4}[),;:]?$ */
static int dotted(const unsigned char *t, Py_ssize_t n) {
    Py_ssize_t i = 0;
    if (i < n && t[i] == '(') i++;
    int groups = 0;
    for (;;) {
        Py_ssize_t a = i;
        while (i < n && i - a < 3 && ((t[i] >= 'a' && t[i] <= 'z') || t[i] == 0xe5 || t[i] == 0xe4 || t[i] == 0xf6))
            i++;
        if (i == a || i >= n || t[i] != '.') {
            i = a;
            break;
        }
        i++;
        groups++;
    }
    if (groups < 2 || groups > 4) return 0;
    if (i < n && strchr("),;:", t[i]) && t[i]) i++;
    return i == n;
}

enum { P_LETTER, P_DECIMAL, P_OTHER, P_UNDERSCORE };

static int piece_class(const Scorer *S, unsigned char c) {
    uint16_t k = CLS(S, c);
    if (k & C_LETTER) return P_LETTER;
    if (k & C_DECIMAL) return P_DECIMAL;
    if (!(k & C_WORD)) return P_OTHER;
    return P_UNDERSCORE;
}

static double token(Scorer *S, const unsigned char *tok, Py_ssize_t n, int *error);

static double token_uncached(Scorer *S, const unsigned char *tok, Py_ssize_t n, int *error) {
    if (dotted(tok, n)) return S->k[K_ABBREVIATION];
    Py_ssize_t a = 0, b = n;
    while (a < b && !(CLS(S, tok[a]) & C_WORD)) a++;
    while (b > a && !(CLS(S, tok[b - 1]) & C_WORD)) b--;
    if (a == b) {
        if (n == 1 && strchr(",.;:!?", tok[0]) && tok[0]) return S->k[K_COMMA_ALONE];
        if (n == 1 && tok[0] == '-') return S->k[K_DASH_ALONE];
        return S->k[K_PUNCT_ALONE];
    }
    const unsigned char *core = tok + a;
    Py_ssize_t cn = b - a;
    double total = 0.0;
    if (n > 0 && tok[0] == '.' && memchr(tok, '@', (size_t)n)) total = S->k[K_ADDRESS_FRAGMENT];
    /* the pieces: maximal runs of one class */
    Py_ssize_t starts[MAX_TEXT + 1], count = 0;
    for (Py_ssize_t i = 0; i < cn; i++)
        if (i == 0 || piece_class(S, core[i]) != piece_class(S, core[i - 1])) starts[count++] = i;
    starts[count] = cn;
    Py_ssize_t last = count - 1;
    for (Py_ssize_t i = 0; i < count; i++) {
        const unsigned char *piece = core + starts[i];
        Py_ssize_t len = starts[i + 1] - starts[i];
        uint16_t c = CLS(S, piece[0]);
        if (c & C_ALPHA) {
            if (len == 1 && ((i < last && (core[starts[i + 1]] == '.' || core[starts[i + 1]] == '-')) ||
                             (i == last && tok[n - 1] == '.')))
                total += S->k[K_ABBREVIATION];
            else
                total += word(S, piece, len, error);
        } else if (c & C_DIGIT) {
            total += S->k[K_DIGITS];
        } else if (i && !(len == 1 && piece[0] == '-')) {
            total += S->k[K_SEPARATOR];
        } else if (i) {
            total += S->k[K_HYPHEN];
        }
    }
    if (tok[0] == '-' && (CLS(S, core[0]) & C_ALPHA))
        total += S->k[K_GLUED_HYPHEN];
    else if (tok[n - 1] == '-' && (CLS(S, core[cn - 1]) & C_ALPHA))
        total += S->k[K_HYPHEN];
    return total;
}

static double token(Scorer *S, const unsigned char *tok, Py_ssize_t n, int *error) {
    if (str_isalpha(S, tok, n)) return word(S, tok, n, error);
    const double *hit = map_get(&S->token_cache, tok, n);
    if (hit) return *hit;
    double lp = token_uncached(S, tok, n, error);
    cache_room(S, &S->token_cache);
    if (map_put(&S->token_cache, tok, n, lp) < 0) *error = 1;
    return lp;
}

/* ---- template filling (fills.py: _choices, _prune, _fills, _joins_ok) ---- */
/* returns 1 with the points filled in, 0 when the template cannot be a word */
static int choices(const Scorer *S, const unsigned char *t, Py_ssize_t n, Point *points, int *count) {
    int has_slot = memchr(t, 0, n) != NULL;
    *count = 0;
    if (has_slot) {
        for (Py_ssize_t i = 0; i < n; i++)
            if (CLS(S, t[i]) & C_DECIMAL) return 0;
    } else {
        int any = 0;
        for (Py_ssize_t i = 0; i < n && !any; i++) any = t[i] == '/' || t[i] == '~' || t[i] == 'q' || t[i] == '|';
        if (!any) return 1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char ch = t[i];
        if (ch != 0 && !S->is_ocr[ch]) continue;
        int has_left = i > 0, has_right = i + 1 < n;
        uint16_t left = has_left ? CLS(S, t[i - 1]) : 0, right = has_right ? CLS(S, t[i + 1]) : 0;
        Point *pt = &points[*count];
        pt->pos = (int)i;
        if (ch == 0) {
            int la = (left & C_ALPHA) != 0, ra = (right & C_ALPHA) != 0;
            const Option *opts;
            int nopts;
            if ((left & C_DIGIT) || (right & C_DIGIT) || !(la || ra)) return 0;
            if (ra && !la) {
                uint16_t nxt = i + 2 < n ? CLS(S, t[i + 2]) : 0;
                if (right & C_UPPER) {
                    if ((nxt & C_ALPHA) && (nxt & C_UPPER)) {
                        opts = S->upper_opts;
                        nopts = S->n_upper;
                    } else {
                        return 0;
                    }
                } else {
                    opts = S->lower_opts;
                    nopts = S->n_lower;
                }
            } else if (la && !ra) {
                uint16_t prev = i >= 2 ? CLS(S, t[i - 2]) : 0;
                if ((left & C_UPPER) && (!(prev & C_ALPHA) || (prev & C_UPPER))) {
                    opts = S->upper_opts;
                    nopts = S->n_upper;
                } else {
                    opts = S->lower_opts;
                    nopts = S->n_lower;
                }
            } else {
                if ((left & C_LOWER) && (right & C_UPPER)) return 0;
                if ((left & C_UPPER) && (right & C_UPPER)) {
                    opts = S->upper_opts;
                    nopts = S->n_upper;
                } else {
                    opts = S->lower_opts;
                    nopts = S->n_lower;
                }
            }
            pt->n = nopts;
            memcpy(pt->opts, opts, nopts * sizeof(Option));
            (*count)++;
            continue;
        }
        if (ch == 'q') {
            if (!((left & C_ALPHA) && (left & C_LOWER)) || (has_right && (t[i + 1] == 'u' || t[i + 1] == 'v')))
                continue;
        } else if (ch == '/') {
            if (!((right & C_ALPHA) && (right & C_LOWER))) continue;
            if (has_left && !((left & C_ALPHA) && (left & C_LOWER)) && t[i - 1] != 0) continue;
        } else if (!((left & C_ALPHA) || (right & C_ALPHA))) {
            continue;
        }
        pt->n = 2;
        memcpy(pt->opts, S->ocr_opts[ch], 2 * sizeof(Option));
        (*count)++;
    }
    return 1;
}

typedef struct {
    double sc;
    unsigned char ch;
    double lp;
} Scored;

/* sorted(scored, reverse=True): by score, then character, then prior, descending */
static int scored_after(const Scored *x, const Scored *y) {
    if (x->sc != y->sc) return x->sc < y->sc;
    if (x->ch != y->ch) return x->ch < y->ch;
    return x->lp < y->lp;
}

#define PRUNE_CACHE_LIMIT 200000

/* prune's answers are cached by context, as fills.py caches them: the automaton's
 * tables are 24 MB, and nearly every step through them waits on memory */
static int prune(Scorer *S, const unsigned char *t, Py_ssize_t n, Point *points, int count) {
    unsigned char dtext[MAX_TEXT];
    memcpy(dtext, t, n);
    for (int p = 0; p < count; p++) dtext[points[p].pos] = points[p].opts[0].ch;
    double margin = S->k[K_PRUNE_MARGIN];
    for (int p = 0; p < count; p++) {
        Point *pt = &points[p];
        Py_ssize_t pos = pt->pos;
        if (pt->n == 1 || t[pos] != 0) continue;
        Py_ssize_t run_a = pos, run_b = pos + 1;
        while (run_a > 0 && (CLS(S, dtext[run_a - 1]) & C_LETTER)) run_a--;
        while (run_b < n && (CLS(S, dtext[run_b]) & C_LETTER)) run_b++;
        Py_ssize_t a = run_a > pos - 3 ? run_a : pos - 3;
        Py_ssize_t b = run_b < pos + 4 ? run_b : pos + 4;
        unsigned char left[16], right[16];
        Py_ssize_t nl = 0, nr = 0;
        if (a == run_a)
            for (int q = 0; q < 4; q++) left[nl++] = '^';
        for (Py_ssize_t q = a; q < pos; q++) left[nl++] = S->lower[dtext[q]];
        for (Py_ssize_t q = pos + 1; q < b; q++) right[nr++] = S->lower[dtext[q]];
        if (b == run_b) right[nr++] = '$';
        /* the cache key: the left context, the slot's first option (its case), the right */
        unsigned char key[32];
        Py_ssize_t nk = 0;
        memcpy(key, left, nl);
        nk += nl;
        key[nk++] = 0;
        key[nk++] = pt->opts[0].ch;
        memcpy(key + nk, right, nr);
        nk += nr;
        const double *hit = map_get(&S->prune_cache, key, nk);
        if (hit) {
            const PruneEntry *e = &S->pruned[(size_t)*hit];
            pt->n = e->n;
            memcpy(pt->opts, e->opts, sizeof(Option) * e->n);
            continue;
        }
        int after_left = model_state(S, left, nl);
        Scored scored[MAX_OPTS];
        int ns = 0;
        double best_so_far = NEG;
        for (int o = 0; o < pt->n; o++) {
            unsigned char ch = pt->opts[o].ch;
            double lp = pt->opts[o].lp, sc;
            if (CLS(S, ch) & C_ALPHA) {
                sc = 0.0;
                double floor = best_so_far - margin;
                int state = after_left;
                unsigned char first = S->lower[ch];
                Py_ssize_t at = (Py_ssize_t)state * S->width + S->codes[first];
                sc += S->steps[at];
                state = S->nexts[at];
                if (!(lp + sc < floor)) {
                    for (Py_ssize_t q = 0; q < nr; q++) {
                        at = (Py_ssize_t)state * S->width + S->codes[right[q]];
                        sc += S->steps[at];
                        state = S->nexts[at];
                        if (lp + sc < floor) break;
                    }
                }
                if (lp + sc < floor) continue;
            } else {
                /* an OCR character kept: the word ends and another starts */
                Py_ssize_t ws = nr;
                while (ws > 0 && right[ws - 1] == '$') ws--;
                int st = model_state(S, left, nl);
                sc = S->steps[(Py_ssize_t)st * S->width + S->end_code];
                if (ws) {
                    int start = S->start;
                    sc += model_read(S, &start, right, ws, 0.0);
                } else {
                    sc += 0.0;
                }
            }
            scored[ns].sc = lp + sc;
            scored[ns].ch = ch;
            scored[ns].lp = lp;
            if (lp + sc > best_so_far) best_so_far = lp + sc;
            ns++;
        }
        double best = NEG;
        for (int q = 0; q < ns; q++)
            if (q == 0 || scored[q].sc > best) best = scored[q].sc;
        /* insertion sort, descending */
        for (int q = 1; q < ns; q++) {
            Scored x = scored[q];
            int r = q;
            while (r > 0 && scored_after(&scored[r - 1], &x)) {
                scored[r] = scored[r - 1];
                r--;
            }
            scored[r] = x;
        }
        int kept = 0;
        for (int q = 0; q < ns; q++) {
            if (scored[q].sc >= best - margin) {
                pt->opts[kept].ch = scored[q].ch;
                pt->opts[kept].lp = scored[q].lp;
                kept++;
            }
        }
        pt->n = kept;
        if (S->prune_cache.count >= PRUNE_CACHE_LIMIT) map_clear(&S->prune_cache);
        size_t at = S->prune_cache.count;
        if (at >= S->pruned_cap) {
            size_t cap = S->pruned_cap ? 2 * S->pruned_cap : 4096;
            PruneEntry *more = PyMem_Realloc(S->pruned, cap * sizeof(PruneEntry));
            if (!more) {
                PyErr_NoMemory();
                return -1;
            }
            S->pruned = more;
            S->pruned_cap = cap;
        }
        S->pruned[at].n = kept;
        memcpy(S->pruned[at].opts, pt->opts, sizeof(Option) * kept);
        if (map_put(&S->prune_cache, key, nk, (double)at) < 0) return -1;
    }
    return 0;
}

typedef struct {
    Py_ssize_t pos, a, b;
} Join;

static int joins_ok(const Scorer *S, const unsigned char *text, const Join *joins, int nj) {
    for (int q = 0; q < nj; q++) {
        Py_ssize_t pos = joins[q].pos, a = joins[q].a, b = joins[q].b;
        if (pos - a >= 2 && b - pos >= 3 && all_known(S, text + a, pos - a) &&
            all_known(S, text + pos + 1, b - pos - 1) && !all_known(S, text + a, b - a))
            return 0;
    }
    return 1;
}

typedef struct {
    double sc;
    Py_ssize_t at; /* the text's offset in the candidate buffer */
} Result;

/* A tuple of floats and strings, or of such tuples, can be in no reference cycle: the
 * cyclic garbage collector need not walk it. The process-wide cache of fillings holds
 * hundreds of thousands of them; CPython would untrack them itself, but only on a
 * collection that first walks them all. */
static inline void untrack(PyObject *tuple) {
    if (PyTuple_GET_SIZE(tuple)) PyObject_GC_UnTrack(tuple);
}

static PyObject *make_fills(const Result *results, int count, const unsigned char *texts, Py_ssize_t n) {
    /* a stable sort by score, descending (Python: sort(key=lambda r: -r[0])) */
    Result *sorted = PyMem_Malloc(sizeof(Result) * (count ? count : 1));
    if (!sorted) return PyErr_NoMemory();
    for (int q = 0; q < count; q++) {
        Result x = results[q];
        int r = q;
        while (r > 0 && -sorted[r - 1].sc > -x.sc) {
            sorted[r] = sorted[r - 1];
            r--;
        }
        sorted[r] = x;
    }
    int keep = count < MAX_RESULTS ? count : MAX_RESULTS;
    PyObject *out = PyTuple_New(keep);
    if (!out) goto fail;
    for (int q = 0; q < keep; q++) {
        PyObject *sc = PyFloat_FromDouble(sorted[q].sc);
        PyObject *text = sc ? PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, texts + sorted[q].at, n) : NULL;
        PyObject *pair = text ? PyTuple_Pack(2, sc, text) : NULL;
        Py_XDECREF(sc);
        Py_XDECREF(text);
        if (!pair) {
            Py_DECREF(out);
            out = NULL;
            goto fail;
        }
        untrack(pair);
        PyTuple_SET_ITEM(out, q, pair);
    }
    untrack(out);
fail:
    PyMem_Free(sorted);
    return out;
}

/* _few_deviations(sizes, 2): the next assignment after c, or 0 when done. State: a, ia,
 * b, ib as fills.py's generator walks them; stage 0 = all zero, 1 = one point moved,
 * 2 = two points moved. */
typedef struct {
    int k, stage, a, ia, b, ib;
} Deviations;

static int deviations_next(Deviations *d, const int *sizes, int *c) {
    int k = d->k;
    for (;;) {
        if (d->stage == -1) { /* first: all zero */
            for (int q = 0; q < k; q++) c[q] = 0;
            d->stage = 0;
            d->a = 0;
            d->ia = 0;
            return 1;
        }
        if (d->stage == 0) { /* move to the next (a, ia) */
            d->ia++;
            while (d->a < k && d->ia >= sizes[d->a]) {
                d->a++;
                d->ia = 1;
            }
            if (d->a >= k) return 0;
            for (int q = 0; q < k; q++) c[q] = 0;
            c[d->a] = d->ia;
            d->stage = 1;
            d->b = d->a + 1;
            d->ib = 0;
            return 1;
        }
        /* stage 1: the pairs (b, ib) after (a, ia) */
        d->ib++;
        while (d->b < k && d->ib >= sizes[d->b]) {
            d->b++;
            d->ib = 1;
        }
        if (d->b >= k) {
            d->stage = 0;
            continue;
        }
        for (int q = 0; q < k; q++) c[q] = 0;
        c[d->a] = d->ia;
        c[d->b] = d->ib;
        return 1;
    }
}

static PyObject *Scorer_fills(Scorer *S, PyObject *arg) {
    REFUSE_UNLESS_READY(S);
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "fills() takes a str");
        return NULL;
    }
    if (READY(arg) < 0) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    if (PyUnicode_KIND(arg) != PyUnicode_1BYTE_KIND || n > MAX_TEXT || n == 0) Py_RETURN_NONE;
    const unsigned char *t = PyUnicode_1BYTE_DATA(arg);
    Point points[MAX_TEXT];
    int count, error = 0;
    if (!choices(S, t, n, points, &count)) return PyTuple_New(0);
    if (count == 0) {
        double sc = token(S, t, n, &error);
        if (error) return NULL;
        PyObject *f = PyFloat_FromDouble(sc);
        if (!f) return NULL;
        PyObject *pair = PyTuple_Pack(2, f, arg);
        Py_DECREF(f);
        if (!pair) return NULL;
        untrack(pair);
        PyObject *out = PyTuple_Pack(1, pair);
        Py_DECREF(pair);
        if (out) untrack(out);
        return out;
    }
    /* do the chunks between slots all stand as words (and none is a stray comma)? */
    int known_only = 1;
    for (Py_ssize_t i = 0; i < n && known_only;) {
        Py_ssize_t a = i;
        while (i < n && t[i] != 0) i++;
        if (i > a) {
            Py_ssize_t len = i - a;
            if (!good(S, t + a, len) ||
                (len == 1 && (t[a] == ',' || t[a] == '.' || t[a] == ';' || t[a] == ':')))
                known_only = 0;
        }
        i++;
    }
    if (!known_only && prune(S, t, n, points, count) < 0) return NULL;
    Join joins[MAX_TEXT];
    int nj = 0;
    Py_ssize_t whole[MAX_TEXT][2];
    int nw = 0;
    Py_ssize_t last = n - 1;
    int any_inner = 0;
    for (int p = 0; p < count; p++)
        if (t[points[p].pos] == 0 && points[p].pos > 0 && points[p].pos < last) any_inner = 1;
    if (any_inner && !known_only) {
        Py_ssize_t i = 0;
        while (i < n) {
            if (!(t[i] == 0 || (CLS(S, t[i]) & C_LETTER))) {
                i++;
                continue;
            }
            Py_ssize_t a = i;
            while (i < n && (t[i] == 0 || (CLS(S, t[i]) & C_LETTER))) i++;
            Py_ssize_t b = i;
            int in_run = 0, here = 0;
            for (int p = 0; p < count; p++) {
                Py_ssize_t pos = points[p].pos;
                if (a <= pos && pos < b) in_run++;
                if (t[pos] == 0 && pos > 0 && pos < last && a < pos && pos < b) here++;
            }
            if (!here) continue;
            int shared = in_run > 1;
            for (int p = 0; p < count; p++) {
                Py_ssize_t pos = points[p].pos;
                if (!(t[pos] == 0 && pos > 0 && pos < last && a < pos && pos < b)) continue;
                if (shared) {
                    joins[nj].pos = pos;
                    joins[nj].a = a;
                    joins[nj].b = b;
                    nj++;
                } else if (pos - a >= 2 && b - pos >= 3 && all_known(S, t + a, pos - a) &&
                           all_known(S, t + pos + 1, b - pos - 1)) {
                    int seen = 0;
                    for (int q = 0; q < nw; q++)
                        if (whole[q][0] == a && whole[q][1] == b) seen = 1;
                    if (!seen) {
                        whole[nw][0] = a;
                        whole[nw][1] = b;
                        nw++;
                    }
                }
            }
        }
    }
    /* the candidates, in fills.py's order */
    int sizes[MAX_TEXT];
    long full = 1;
    for (int p = 0; p < count; p++) {
        sizes[p] = points[p].n;
        full *= sizes[p];
        if (full > 1L << 30) full = 1L << 30;
    }
    Py_ssize_t cap = 64, used = 0;
    unsigned char *texts = PyMem_Malloc(cap * n);
    Result *results = PyMem_Malloc(cap * sizeof(Result));
    int nres = 0;
    PyObject *out = NULL;
    if (!texts || !results) {
        PyErr_NoMemory();
        goto done;
    }
    int c[MAX_TEXT];
    Deviations dev = {count, -1, 0, 0, 0, 0};
    int all_combos = count > 1 && full <= S->max_combinations;
    for (int p = 0; p < count; p++) c[p] = 0;
    int first = 1;
    for (;;) {
        /* the next assignment c of an option to each point */
        if (count == 1 || all_combos) {
            if (!first) {
                int p = 0;
                while (p < count && ++c[p] >= sizes[p]) c[p++] = 0;
                if (p == count) break;
            }
        } else if (!deviations_next(&dev, sizes, c)) {
            break;
        }
        first = 0;
        if (used == cap) {
            cap *= 2;
            unsigned char *more = PyMem_Realloc(texts, cap * n);
            Result *more_results = more ? PyMem_Realloc(results, cap * sizeof(Result)) : NULL;
            if (more) texts = more;
            if (more_results) results = more_results;
            if (!more || !more_results) {
                PyErr_NoMemory();
                goto done;
            }
        }
        unsigned char *text = texts + used * n;
        memcpy(text, t, n);
        double prior = 0.0;
        for (int p = 0; p < count; p++) {
            text[points[p].pos] = points[p].opts[c[p]].ch;
            prior += points[p].opts[c[p]].lp;
        }
        if (memcmp(text, t, n) != 0) {
            if (known_only) {
                if (!all_known(S, text, n)) continue;
            } else {
                int ok = 1;
                for (int q = 0; q < nw && ok; q++) ok = all_known(S, text + whole[q][0], whole[q][1] - whole[q][0]);
                if (!ok) continue;
                if (nj && !joins_ok(S, text, joins, nj)) continue;
            }
        }
        double sc = token(S, text, n, &error);
        if (error) goto done;
        results[nres].sc = sc + prior;
        results[nres].at = used * n;
        nres++;
        used++;
    }
    out = make_fills(results, nres, texts, n);
done:
    PyMem_Free(texts);
    PyMem_Free(results);
    return out;
}

/* fills.py's _restored_words(template, fills): per filling, the words of 4+ letters it
 * makes around the characters it changed that the template does not hold as they stand,
 * lowercased; None when no filling makes one */
static PyObject *restored_words(const Scorer *S, const unsigned char *t, Py_ssize_t n, PyObject *fills) {
    Py_ssize_t count = PyTuple_GET_SIZE(fills);
    if (count == 0) Py_RETURN_NONE;
    if (count == 1) {
        PyObject *only = PyTuple_GET_ITEM(PyTuple_GET_ITEM(fills, 0), 1);
        if (PyUnicode_GET_LENGTH(only) == n && memcmp(PyUnicode_1BYTE_DATA(only), t, n) == 0) Py_RETURN_NONE;
    }
    /* the template's runs of letters: a restored word that is one of them is no news */
    Py_ssize_t runs[MAX_TEXT][2];
    int nruns = 0;
    for (Py_ssize_t i = 0; i < n;) {
        if (!(CLS(S, t[i]) & C_LETTER)) {
            i++;
            continue;
        }
        runs[nruns][0] = i;
        while (i < n && (CLS(S, t[i]) & C_LETTER)) i++;
        runs[nruns++][1] = i;
    }
    PyObject *out = PyTuple_New(count);
    if (!out) return NULL;
    int found = 0;
    for (Py_ssize_t f = 0; f < count; f++) {
        PyObject *words = PyList_New(0);
        if (!words) goto fail;
        PyTuple_SET_ITEM(out, f, words); /* made a tuple below */
        const unsigned char *text = PyUnicode_1BYTE_DATA(PyTuple_GET_ITEM(PyTuple_GET_ITEM(fills, f), 1));
        Py_ssize_t i = 0;
        while (i < n) {
            if (text[i] == t[i] || !(CLS(S, text[i]) & C_LETTER)) {
                i++;
                continue;
            }
            Py_ssize_t a = i, b = i + 1;
            while (a > 0 && (CLS(S, text[a - 1]) & C_LETTER)) a--;
            while (b < n && (CLS(S, text[b]) & C_LETTER)) b++;
            i = b;
            if (b - a < 4) continue;
            int held = 0;
            for (int r = 0; r < nruns && !held; r++)
                held = runs[r][1] - runs[r][0] == b - a && memcmp(t + runs[r][0], text + a, b - a) == 0;
            if (held) continue;
            unsigned char lo[MAX_TEXT];
            to_lower(S, text + a, b - a, lo);
            PyObject *w = PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, lo, b - a);
            if (!w || PyList_Append(words, w) < 0) {
                Py_XDECREF(w);
                goto fail;
            }
            Py_DECREF(w);
            found = 1;
        }
        PyObject *as_tuple = PyList_AsTuple(words);
        if (!as_tuple) goto fail;
        untrack(as_tuple);
        PyTuple_SET_ITEM(out, f, as_tuple);
        Py_DECREF(words);
    }
    if (!found) {
        Py_DECREF(out);
        Py_RETURN_NONE;
    }
    untrack(out);
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* fills_and_words(template) -> (fills, restored words) as fills.py's _FILLS holds them;
 * None when not handled */
static PyObject *Scorer_fills_and_words(Scorer *S, PyObject *arg) {
    PyObject *fills = Scorer_fills(S, arg);
    if (!fills || fills == Py_None) return fills;
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    PyObject *words = restored_words(S, PyUnicode_1BYTE_DATA(arg), n, fills);
    if (!words) {
        Py_DECREF(fills);
        return NULL;
    }
    PyObject *out = PyTuple_Pack(2, fills, words);
    Py_DECREF(fills);
    Py_DECREF(words);
    if (out) untrack(out);
    return out;
}

/* decoder.py's _Decoder._plausible_start(prev, chunk) for a known prev: could a word
 * begin like prev + a lost letter + chunk? Only the last run of letters of the joined
 * text counts. */
static int plausible_start(const Scorer *S, const unsigned char *prev, Py_ssize_t np,
                           const unsigned char *chunk, Py_ssize_t nc) {
    Py_ssize_t n = np + 1 + nc;
#define JOINED(i) ((i) < np ? prev[i] : (i) == np ? 'a' : chunk[(i) - np - 1])
    Py_ssize_t b = n;
    while (b > 0 && !(CLS(S, JOINED(b - 1)) & C_LETTER)) b--;
    Py_ssize_t a = b;
    while (a > 0 && (CLS(S, JOINED(a - 1)) & C_LETTER)) a--;
    Py_ssize_t len = b - a;
    if (len < 6) return 1;
    for (int o = 0; o < S->n_lower; o++) {
        int state = S->start;
        double lp = 0.0;
        for (Py_ssize_t i = a; i < b; i++) {
            unsigned char ch = i == np ? S->lower_opts[o].ch : JOINED(i);
            lp = model_read(S, &state, &S->lower[ch], 1, lp);
        }
        if (lp >= S->k[K_MIN_START_PER_CHAR] * (double)len) return 1;
    }
#undef JOINED
    return 0;
}

static PyObject *Scorer_plausible_start(Scorer *S, PyObject *args) {
    REFUSE_UNLESS_READY(S);
    PyObject *prev, *chunk;
    if (!PyArg_ParseTuple(args, "UU", &prev, &chunk)) return NULL;
    if (READY(prev) < 0 || READY(chunk) < 0) return NULL;
    if (PyUnicode_KIND(prev) != PyUnicode_1BYTE_KIND || PyUnicode_KIND(chunk) != PyUnicode_1BYTE_KIND)
        Py_RETURN_NONE;
    return PyBool_FromLong(plausible_start(S, PyUnicode_1BYTE_DATA(prev), PyUnicode_GET_LENGTH(prev),
                                           PyUnicode_1BYTE_DATA(chunk), PyUnicode_GET_LENGTH(chunk)));
}

/* ---- one line (decoder.py: _Decoder.line) -------------------------------------------- */
#define MAX_SPAN 5
#define MAX_WORD 48

/* a gap option: s = its first space is the previous word's lost last letter, p = its last
 * space the next word's lost first letter */
typedef struct {
    int s, p;
    double cost;
} GapOption;

/* alpha or beta at one chunk: a score per state (2 * s + p, or p), and the order in which
 * the states were first set (Python's dicts keep it, and max() takes the first best) */
typedef struct {
    double v[4];
    int set[4];
    int order[4];
    int n;
    int back[4]; /* the edge that set each state */
} Cell;

static inline void cell_set(Cell *c, int key, double v) {
    if (!c->set[key]) {
        c->set[key] = 1;
        c->order[c->n++] = key;
    }
    c->v[key] = v;
}

typedef struct {
    int k, p0, j, s1;
    double wsc;
    /* owned: the word's template, and its fillings (NULL until asked for, for an
     * abbreviation kept as it is) */
    PyObject *template, *fills;
} Edge;

typedef struct {
    Py_ssize_t start, end;
} Span;

/* the template of the word from chunk k to chunk j (j > k), as decoder.py builds it:
 * a lost first letter, the chunks joined by lost letters, a lost last letter */
static PyObject *make_template(const Py_UCS4 *line, const Span *chunks, int k, int j, int p0, int s1) {
    Py_ssize_t len = chunks[j - 1].end - chunks[k].start + p0 + s1;
    Py_UCS4 small[64], *out = len <= 64 ? small : PyMem_Malloc(sizeof(Py_UCS4) * len);
    if (!out) return PyErr_NoMemory();
    Py_ssize_t at = 0;
    if (p0) out[at++] = 0;
    for (Py_ssize_t i = chunks[k].start; i < chunks[j - 1].end; i++) out[at++] = line[i] == ' ' ? 0 : line[i];
    if (s1) out[at++] = 0;
    /* the narrowest kind that holds it, as every str must be */
    PyObject *t = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, len);
    if (out != small) PyMem_Free(out);
    return t;
}

static inline int is_space(const Scorer *S, Py_UCS4 c) {
    return c < 256 ? (CLS(S, c) & C_SPACE) != 0 : Py_UNICODE_ISSPACE(c);
}

/* a Python callback's yes or no (-1: it raised) */
static int ask(PyObject *callable, PyObject *a, PyObject *b) {
    if (!a) return -1;
    PyObject *got = b ? PyObject_CallFunctionObjArgs(callable, a, b, NULL) : PyObject_CallOneArg(callable, a);
    if (!got) return -1;
    int yes = PyObject_IsTrue(got);
    Py_DECREF(got);
    return yes;
}

/* the best fillings of a template through decoder.py's _Decoder.best_fills (its caches
 * and the document's own vocabulary live there); a new reference to a tuple */
static PyObject *call_fills(PyObject *best_fills, PyObject *template) {
    PyObject *fills = PyObject_CallOneArg(best_fills, template);
    if (!fills) return NULL;
    /* the rest of decode_line reads it without further checks: ((float, str), ...), each
     * text as long as the template */
    int ok = PyTuple_Check(fills);
    for (Py_ssize_t f = 0; ok && f < PyTuple_GET_SIZE(fills); f++) {
        PyObject *pair = PyTuple_GET_ITEM(fills, f);
        ok = PyTuple_Check(pair) && PyTuple_GET_SIZE(pair) == 2 && PyFloat_Check(PyTuple_GET_ITEM(pair, 0)) &&
             PyUnicode_Check(PyTuple_GET_ITEM(pair, 1)) &&
             PyUnicode_GET_LENGTH(PyTuple_GET_ITEM(pair, 1)) == PyUnicode_GET_LENGTH(template);
    }
    if (!ok) {
        Py_DECREF(fills);
        PyErr_SetString(PyExc_TypeError, "best_fills must return ((float, str as long as the template), ...)");
        return NULL;
    }
    return fills;
}

static double through(const Cell *alpha, const Cell *beta, int g, int want_s, int want_p) {
    /* best total of a line reading in which gap g is a boundary with s == want_s (or any,
     * -1) and p == want_p (or any) */
    double best = NEG;
    for (int q = 0; q < alpha[g].n; q++) {
        int sp = alpha[g].order[q], s = sp >> 1, p = sp & 1;
        if ((want_s < 0 || s == want_s) && (want_p < 0 || p == want_p) && beta[g].set[p]) {
            double v = alpha[g].v[sp] + beta[g].v[p];
            if (v > best) best = v;
        }
    }
    return best;
}

/* decode_line(line, lr, lnr, trail_base, protected, best_fills, good, plausible_start)
 * -> [(line position, character, is an OCR misreading, path margin, letter margin), ...]
 * for the repairs of the best reading (decoder.py computes confidences from the margins).
 * good and plausible_start are the package's (Lexicon.good, _Decoder._plausible_start),
 * asked only about text that is not Latin-1 or too long for the C word scores. */
static PyObject *Scorer_decode_line(Scorer *S, PyObject *args) {
    REFUSE_UNLESS_READY(S);
    PyObject *line_obj, *prot_obj, *best_fills, *good_cb, *plausible_cb;
    double lr, lnr;
    int tb;
    if (!PyArg_ParseTuple(args, "UddiOOOO", &line_obj, &lr, &lnr, &tb, &prot_obj, &best_fills, &good_cb,
                          &plausible_cb))
        return NULL;
    if (READY(line_obj) < 0) return NULL;
    Py_ssize_t len = PyUnicode_GET_LENGTH(line_obj);
    Py_UCS4 *line = PyUnicode_AsUCS4Copy(line_obj);
    if (!line) return NULL;
    /* the line in Latin-1 bytes, for the C word scores (a wider character: 0xFF, never
     * read, since the chunks that hold one go to the callbacks) */
    unsigned char *bytes = PyMem_Malloc(len ? len : 1);
    if (!bytes) {
        PyMem_Free(line);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < len; i++) bytes[i] = line[i] < 256 ? (unsigned char)line[i] : 0xFF;
    /* the chunks: runs of non-space (tokens.py's _CHUNK, \S+) */
    int n = 0;
    for (Py_ssize_t i = 0; i < len; i++)
        if (!is_space(S, line[i]) && (i == 0 || is_space(S, line[i - 1]))) n++;
    PyObject *out = PyList_New(0);
    if (!out || n == 0) {
        PyMem_Free(line);
        PyMem_Free(bytes);
        return out;
    }
    Span *chunks = PyMem_Malloc(sizeof(Span) * n);
    Span *gaps = PyMem_Malloc(sizeof(Span) * (n + 1));
    unsigned char *soft = PyMem_Malloc(n + 1), *good_at = PyMem_Malloc(n), *prot = PyMem_Calloc(n + 1, 1);
    unsigned char *latin = PyMem_Malloc(n); /* does chunk k hold only Latin-1 characters? */
    GapOption *gopts = PyMem_Malloc(sizeof(GapOption) * 4 * (n + 1));
    int *ngopts = PyMem_Malloc(sizeof(int) * (n + 1));
    Cell *alpha = PyMem_Calloc(n + 1, sizeof(Cell)), *beta = PyMem_Calloc(n + 1, sizeof(Cell));
    Py_ssize_t edge_cap = 16 * (Py_ssize_t)(n + 1), nedges = 0;
    Edge *edges = PyMem_Malloc(sizeof(Edge) * edge_cap);
    /* edges from chunk k and lead p0: edges[first[2k + p0] .. first[2k + p0] + count) */
    Py_ssize_t *efirst = PyMem_Malloc(sizeof(Py_ssize_t) * 2 * (n + 1));
    int *ecount = PyMem_Calloc(2 * (n + 1), sizeof(int));
    int *eorder = PyMem_Malloc(sizeof(int) * 2 * (n + 1)); /* p0s of chunk k in order, -1 none */
    PyObject *prev_fill = NULL;
    int (*words)[5] = NULL;
    if (!chunks || !gaps || !soft || !good_at || !prot || !latin || !gopts || !ngopts || !alpha || !beta ||
        !edges || !efirst || !ecount || !eorder) {
        PyErr_NoMemory();
        goto fail;
    }
    {
        int c = 0;
        for (Py_ssize_t i = 0; i < len;) {
            if (is_space(S, line[i])) {
                i++;
                continue;
            }
            chunks[c].start = i;
            latin[c] = 1;
            while (i < len && !is_space(S, line[i])) {
                if (line[i] > 255) latin[c] = 0;
                i++;
            }
            chunks[c++].end = i;
        }
    }
    gaps[0].start = 0;
    gaps[0].end = chunks[0].start;
    for (int k = 1; k < n; k++) {
        gaps[k].start = chunks[k - 1].end;
        gaps[k].end = chunks[k].start;
    }
    gaps[n].start = chunks[n - 1].end;
    gaps[n].end = len;
    for (int k = 0; k <= n; k++) {
        int ok = gaps[k].end > gaps[k].start;
        for (Py_ssize_t i = gaps[k].start; i < gaps[k].end && ok; i++) ok = line[i] == ' ';
        soft[k] = (unsigned char)ok;
    }
    for (int k = 0; k < n; k++) {
        Py_ssize_t cl = chunks[k].end - chunks[k].start;
        int yes;
        if (latin[k] && cl <= MAX_TEXT)
            yes = good(S, bytes + chunks[k].start, cl);
        else
        {
            PyObject *chunk = PyUnicode_Substring(line_obj, chunks[k].start, chunks[k].end);
            yes = chunk ? ask(good_cb, chunk, NULL) : -1;
            Py_XDECREF(chunk);
        }
        if (yes < 0) goto fail;
        good_at[k] = (unsigned char)yes;
    }
    if (prot_obj != Py_None) {
        /* a tuple of its own: the caller's list cannot change under the loop */
        PyObject *fast = PySequence_Tuple(prot_obj);
        if (!fast) goto fail;
        if (PyTuple_GET_SIZE(fast) != n) {
            Py_DECREF(fast);
            PyErr_SetString(PyExc_ValueError, "protected: one per chunk");
            goto fail;
        }
        for (int k = 0; k < n; k++) {
            int t = PyObject_IsTrue(PyTuple_GET_ITEM(fast, k));
            if (t < 0) {
                Py_DECREF(fast);
                goto fail;
            }
            prot[k] = (unsigned char)t;
        }
        Py_DECREF(fast);
    }
    /* gap options, grouped by s (by_first in decoder.py: s = 0 first) */
    for (int k = 0; k <= n; k++) {
        GapOption *g = gopts + 4 * k;
        int m = 0;
        Py_ssize_t L = gaps[k].end - gaps[k].start;
        if (L == 1 && line[gaps[k].start] == ' ' && 0 < k && k < n) {
            g[m++] = (GapOption){0, 0, lnr};
        } else if (k == 0) {
            if (!soft[0]) {
                g[m++] = (GapOption){0, 0, 0.0};
            } else {
                g[m++] = (GapOption){0, 0, (double)L * lnr};
                g[m++] = (GapOption){0, 1, lr + (double)(L - 1) * lnr};
            }
        } else if (k == n) {
            if (!soft[n]) {
                g[m++] = (GapOption){0, 0, 0.0};
            } else {
                double extra = tb ? S->k[K_EXTRA_SPACE] : S->k[K_EXTRA_TRAIL];
                Py_ssize_t over = L - tb > 0 ? L - tb : 0, over1 = L - 1 - tb > 0 ? L - 1 - tb : 0;
                g[m++] = (GapOption){0, 0, (double)L * lnr + (double)over * extra};
                if (L > tb) g[m++] = (GapOption){1, 0, lr + (double)(L - 1) * lnr + (double)over1 * extra};
            }
        } else if (!soft[k]) {
            g[m++] = (GapOption){0, 0, 0.0};
        } else if (L >= WIDE_GAP) { /* a table's columns: no lost letter (decoder.py) */
            g[m++] = (GapOption){0, 0, (double)L * lnr + (double)(L - 1) * S->k[K_EXTRA_SPACE]};
        } else {
            for (int s1 = 0; s1 < 2; s1++)
                for (int p = 0; p < 2; p++) {
                    Py_ssize_t mm = L - s1 - p;
                    if (mm < 1) continue;
                    g[m++] = (GapOption){s1, p, (double)(s1 + p) * lr + (double)mm * lnr +
                                                     (double)(mm - 1) * S->k[K_EXTRA_SPACE]};
                }
        }
        /* stable: the options with s = 0, then those with s = 1 */
        GapOption sorted[4];
        int q = 0;
        for (int r = 0; r < m; r++)
            if (g[r].s == 0) sorted[q++] = g[r];
        for (int r = 0; r < m; r++)
            if (g[r].s == 1) sorted[q++] = g[r];
        memcpy(g, sorted, sizeof(GapOption) * m);
        ngopts[k] = m;
    }
    for (int q = 0; q < ngopts[0]; q++) {
        GapOption o = gopts[q];
        cell_set(&alpha[0], 2 * o.s + o.p, o.cost);
        alpha[0].back[2 * o.s + o.p] = -1;
    }
    /* forward */
    for (int k = 0; k < n; k++) {
        Cell *ak = &alpha[k];
        eorder[2 * k] = eorder[2 * k + 1] = -1;
        if (!ak->n) continue;
        double best_in[2] = {NEG, NEG};
        int in_order[2], n_in = 0, in_set[2] = {0, 0};
        for (int q = 0; q < ak->n; q++) {
            int sp = ak->order[q], p0 = sp & 1;
            if (ak->v[sp] > best_in[p0]) {
                if (!in_set[p0]) {
                    in_set[p0] = 1;
                    in_order[n_in++] = p0;
                }
                best_in[p0] = ak->v[sp];
            }
        }
        int last_j = n < k + MAX_SPAN ? n : k + MAX_SPAN;
        for (int q = 0; q < n_in; q++) {
            int p0 = in_order[q];
            double sc_in = best_in[p0];
            if (prot[k] && p0) continue;
            eorder[2 * k + q] = p0;
            efirst[2 * k + p0] = nedges;
            int joins = 0;
            Py_XDECREF(prev_fill);
            prev_fill = NULL;
            for (int j = k + 1; j <= last_j; j++) {
                if (j > k + 1) {
                    Py_ssize_t gl = gaps[j - 1].end - gaps[j - 1].start;
                    if (gl != 1 || line[gaps[j - 1].start] != ' ' || prot[j - 2] || prot[j - 1]) break;
                    if (j > k + 2 && good_at[j - 2] && good_at[j - 1]) break;
                    if (joins && prev_fill) {
                        int yes;
                        if (PyUnicode_KIND(prev_fill) == PyUnicode_1BYTE_KIND && latin[j - 1]) {
                            yes = plausible_start(S, PyUnicode_1BYTE_DATA(prev_fill), PyUnicode_GET_LENGTH(prev_fill),
                                                  bytes + chunks[j - 1].start, chunks[j - 1].end - chunks[j - 1].start);
                        } else {
                            PyObject *chunk = PyUnicode_Substring(line_obj, chunks[j - 1].start, chunks[j - 1].end);
                            yes = chunk ? ask(plausible_cb, prev_fill, chunk) : -1;
                            Py_XDECREF(chunk);
                        }
                        if (yes < 0) goto fail;
                        if (!yes) break;
                    }
                    joins++;
                    /* the body: chunks k .. j-1 joined by single spaces */
                    if (chunks[j - 1].end - chunks[k].start > MAX_WORD) break;
                }
                Py_XDECREF(prev_fill);
                prev_fill = NULL;
                for (int s1 = 0; s1 < 2; s1++) {
                    int any = 0;
                    for (int r = 0; r < ngopts[j]; r++) any |= gopts[4 * j + r].s == s1;
                    if (!any) continue;
                    if (s1 && prot[j - 1]) continue;
                    if (nedges == edge_cap) {
                        edge_cap *= 2;
                        Edge *more = PyMem_Realloc(edges, sizeof(Edge) * edge_cap);
                        if (!more) {
                            PyErr_NoMemory();
                            goto fail;
                        }
                        edges = more;
                    }
                    double top;
                    PyObject *template = make_template(line, chunks, k, j, p0, s1), *fills = NULL;
                    if (!template) goto fail;
                    if (prot[k] && j == k + 1) {
                        top = S->k[K_ABBREVIATION];
                        if (!s1) { /* decoder.py: the abbreviation's own text is the "filling" */
                            prev_fill = template;
                            Py_INCREF(prev_fill);
                        }
                    } else {
                        fills = call_fills(best_fills, template);
                        if (!fills) {
                            Py_DECREF(template);
                            goto fail;
                        }
                        if (PyTuple_GET_SIZE(fills) == 0) {
                            Py_DECREF(fills);
                            Py_DECREF(template);
                            continue;
                        }
                        PyObject *first = PyTuple_GET_ITEM(fills, 0);
                        top = PyFloat_AsDouble(PyTuple_GET_ITEM(first, 0));
                        if (!s1) {
                            prev_fill = PyTuple_GET_ITEM(first, 1);
                            Py_INCREF(prev_fill);
                        }
                    }
                    double wsc = top + (double)joins * lr;
                    int edge = (int)nedges;
                    edges[nedges++] = (Edge){k, p0, j, s1, wsc, template, fills};
                    ecount[2 * k + p0]++;
                    double base = sc_in + wsc;
                    for (int r = 0; r < ngopts[j]; r++) {
                        GapOption o = gopts[4 * j + r];
                        if (o.s != s1) continue;
                        double tot = base + o.cost;
                        int sp = 2 * o.s + o.p;
                        if (tot > (alpha[j].set[sp] ? alpha[j].v[sp] : NEG)) {
                            cell_set(&alpha[j], sp, tot);
                            alpha[j].back[sp] = edge;
                        }
                    }
                }
            }
        }
    }
    Py_XDECREF(prev_fill);
    prev_fill = NULL;
    if (!alpha[n].n) goto done;
    /* the best reading, followed back */
    double total = NEG;
    int state = -1;
    for (int q = 0; q < alpha[n].n; q++) {
        int sp = alpha[n].order[q];
        if (state < 0 || alpha[n].v[sp] > total) {
            total = alpha[n].v[sp];
            state = sp;
        }
    }
    words = PyMem_Malloc(sizeof(int[5]) * (n + 1));
    if (!words) {
        PyErr_NoMemory();
        goto fail;
    }
    int nwords = 0;
    for (int j = n; j > 0;) {
        int e = alpha[j].back[state];
        int k = edges[e].k, p0 = edges[e].p0;
        words[nwords][0] = k;
        words[nwords][1] = j;
        words[nwords][2] = p0;
        words[nwords][3] = state >> 1;
        words[nwords][4] = e;
        nwords++;
        int best_sp = -1;
        double best_v = NEG;
        for (int q = 0; q < alpha[k].n; q++) {
            int sp = alpha[k].order[q];
            if ((sp & 1) != p0) continue;
            if (best_sp < 0 || alpha[k].v[sp] > best_v) {
                best_v = alpha[k].v[sp];
                best_sp = sp;
            }
        }
        state = best_sp;
        j = k;
    }
    /* in line order; does the best reading change anything? */
    for (int a = 0, b = nwords - 1; a < b; a++, b--) {
        int tmp[5];
        memcpy(tmp, words[a], sizeof tmp);
        memcpy(words[a], words[b], sizeof tmp);
        memcpy(words[b], tmp, sizeof tmp);
    }
    /* the fillings of each word of the best reading; a protected chunk standing alone is
     * kept as it is, its own text its only filling (decoder.py does the same) */
    for (int w = 0; w < nwords; w++) {
        Edge *ed = &edges[words[w][4]];
        if (!ed->fills) {
            if (prot[words[w][0]] && words[w][1] == words[w][0] + 1)
                ed->fills = Py_BuildValue("((dO))", S->k[K_ABBREVIATION], ed->template);
            else
                ed->fills = call_fills(best_fills, ed->template);
            if (!ed->fills) goto fail;
        }
    }
    int changes = 0;
    for (int w = 0; w < nwords && !changes; w++) {
        Edge *ed = &edges[words[w][4]];
        if (PyTuple_GET_SIZE(ed->fills) == 0) {
            PyErr_SetString(PyExc_IndexError, "a word of the best reading has no filling");
            goto fail;
        }
        int same = PyUnicode_Compare(PyTuple_GET_ITEM(PyTuple_GET_ITEM(ed->fills, 0), 1), ed->template);
        if (same == -1 && PyErr_Occurred()) goto fail;
        changes = same != 0;
    }
    if (!changes) goto done;
    /* backward scores: beta[k][p], the best completion from the start of the word at k */
    for (int q = 0; q < ngopts[n]; q++) cell_set(&beta[n], gopts[4 * n + q].p, 0.0);
    for (int k = n - 1; k >= 0; k--) {
        for (int q = 0; q < 2; q++) {
            int p0 = eorder[2 * k + q];
            if (p0 < 0) continue;
            double best = NEG;
            for (Py_ssize_t e = efirst[2 * k + p0]; e < efirst[2 * k + p0] + ecount[2 * k + p0]; e++) {
                Edge ed = edges[e];
                for (int r = 0; r < ngopts[ed.j]; r++) {
                    GapOption o = gopts[4 * ed.j + r];
                    if (o.s != ed.s1 || !beta[ed.j].set[o.p]) continue;
                    double v = ed.wsc + o.cost + beta[ed.j].v[o.p];
                    if (v > best) best = v;
                }
            }
            if (best > NEG) cell_set(&beta[k], p0, best);
        }
    }
    /* the repairs, with their margins */
    for (int w = 0; w < nwords; w++) {
        int k = words[w][0], j = words[w][1], p0 = words[w][2], s1 = words[w][3];
        PyObject *template = edges[words[w][4]].template, *fills = edges[words[w][4]].fills;
        Py_INCREF(template);
        Py_INCREF(fills);
        Py_ssize_t nf = PyTuple_GET_SIZE(fills), tl = PyUnicode_GET_LENGTH(template);
        PyObject *best_text = nf ? PyTuple_GET_ITEM(PyTuple_GET_ITEM(fills, 0), 1) : NULL;
        int differs = best_text ? PyUnicode_Compare(best_text, template) : 0;
        if (differs == -1 && PyErr_Occurred()) {
            Py_DECREF(fills);
            Py_DECREF(template);
            goto fail;
        }
        if (!best_text || differs == 0 || PyUnicode_GET_LENGTH(best_text) != tl) {
            Py_DECREF(fills);
            Py_DECREF(template);
            if (!best_text) {
                PyErr_SetString(PyExc_IndexError, "a word of the best reading has no filling");
                goto fail;
            }
            continue;
        }
        double best_score = PyFloat_AsDouble(PyTuple_GET_ITEM(PyTuple_GET_ITEM(fills, 0), 0));
        Py_ssize_t pos_in_line = chunks[k].start - p0;
        for (Py_ssize_t ti = 0; ti < tl; ti++) {
            Py_UCS4 orig = PyUnicode_READ_CHAR(template, ti), neu = PyUnicode_READ_CHAR(best_text, ti);
            if (orig == neu) continue;
            double alt = NEG;
            for (Py_ssize_t f = 1; f < nf; f++) {
                PyObject *txt = PyTuple_GET_ITEM(PyTuple_GET_ITEM(fills, f), 1);
                if (PyUnicode_READ_CHAR(txt, ti) != neu) {
                    alt = PyFloat_AsDouble(PyTuple_GET_ITEM(PyTuple_GET_ITEM(fills, f), 0));
                    break;
                }
            }
            if (alt == NEG && nf > 1) alt = PyFloat_AsDouble(PyTuple_GET_ITEM(PyTuple_GET_ITEM(fills, nf - 1), 0));
            double m_letter = alt > NEG ? best_score - alt : 20.0;
            Py_ssize_t line_pos = pos_in_line + ti;
            double m_path;
            int ocr = orig != 0;
            if (!ocr) {
                if (ti == 0 && p0) {
                    m_path = total - through(alpha, beta, k, -1, 0);
                } else if (ti == tl - 1 && s1) {
                    double alt_total;
                    if (j == n) {
                        alt_total = NEG;
                        int seen = 0;
                        for (int q = 0; q < alpha[n].n; q++) {
                            int sp = alpha[n].order[q];
                            if (sp >> 1 == 0 && (!seen || alpha[n].v[sp] > alt_total)) {
                                alt_total = alpha[n].v[sp];
                                seen = 1;
                            }
                        }
                    } else {
                        alt_total = through(alpha, beta, j, 0, -1);
                    }
                    m_path = total - alt_total;
                } else {
                    /* a join between two tokens: the reading with a boundary there */
                    int lo = 0, hi = n - 1;
                    while (lo < hi) {
                        int mid = (lo + hi) / 2;
                        if (chunks[mid].end <= line_pos)
                            lo = mid + 1;
                        else
                            hi = mid;
                    }
                    m_path = total - through(alpha, beta, lo, -1, -1);
                }
            } else {
                m_path = 50.0; /* the character is there either way; only its reading counts */
            }
            PyObject *row = Py_BuildValue("(nNNdd)", line_pos, PyUnicode_FromOrdinal(neu), PyBool_FromLong(ocr), m_path, m_letter);
            if (!row || PyList_Append(out, row) < 0) {
                Py_XDECREF(row);
                Py_DECREF(fills);
                Py_DECREF(template);
                goto fail;
            }
            Py_DECREF(row);
        }
        Py_DECREF(fills);
        Py_DECREF(template);
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    Py_XDECREF(prev_fill);
    PyMem_Free(line);
    PyMem_Free(bytes);
    PyMem_Free(latin);
    for (Py_ssize_t e = 0; edges && e < nedges; e++) {
        Py_XDECREF(edges[e].template);
        Py_XDECREF(edges[e].fills);
    }
    PyMem_Free(chunks);
    PyMem_Free(gaps);
    PyMem_Free(soft);
    PyMem_Free(good_at);
    PyMem_Free(prot);
    PyMem_Free(gopts);
    PyMem_Free(ngopts);
    PyMem_Free(alpha);
    PyMem_Free(beta);
    PyMem_Free(edges);
    PyMem_Free(efirst);
    PyMem_Free(ecount);
    PyMem_Free(eorder);
    PyMem_Free(words);
    return out;
}

/* ---- quieter signs of damage (signals.py: _weak_signals) ------------------------------- */
static inline int logf_common(const Scorer *S, const unsigned char *lo, Py_ssize_t n) {
    return logf_or(S, lo, n, NEG) >= S->k[K_COMMON];
}

/* is lo (n bytes, Latin-1) in the document's vocabulary (a set of str)? -1: error */
static int in_vocab(PyObject *vocab, const unsigned char *lo, Py_ssize_t n) {
    PyObject *w = PyUnicode_DecodeLatin1((const char *)lo, n, NULL);
    if (!w) return -1;
    int got = PySet_Contains(vocab, w);
    Py_DECREF(w);
    return got;
}

/* weak_signals(line, doc_vocab) -> offsets, as signals.py's _weak_signals; None when the
 * line is not Latin-1 or holds a token longer than MAX_TEXT */
static PyObject *Scorer_weak_signals(Scorer *S, PyObject *args) {
    REFUSE_UNLESS_READY(S);
    PyObject *line_obj, *vocab;
    if (!PyArg_ParseTuple(args, "UO", &line_obj, &vocab)) return NULL;
    if (READY(line_obj) < 0) return NULL;
    if (PyUnicode_KIND(line_obj) != PyUnicode_1BYTE_KIND) Py_RETURN_NONE;
    if (!PyAnySet_Check(vocab)) {
        PyErr_SetString(PyExc_TypeError, "weak_signals: doc_vocab must be a set");
        return NULL;
    }
    const unsigned char *line = PyUnicode_1BYTE_DATA(line_obj);
    Py_ssize_t len = PyUnicode_GET_LENGTH(line_obj);
    for (Py_ssize_t i = 0, run = 0; i < len; i++) {
        run = (CLS(S, line[i]) & C_SPACE) ? 0 : run + 1;
        if (run > MAX_TEXT) Py_RETURN_NONE;
    }
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
#define EMIT(pos)                                                        \
    do {                                                                 \
        PyObject *at_ = PyLong_FromSsize_t(pos);                         \
        if (!at_ || PyList_Append(out, at_) < 0) {                       \
            Py_XDECREF(at_);                                             \
            goto fail;                                                   \
        }                                                                \
        Py_DECREF(at_);                                                  \
    } while (0)
    int prev_oov = 0;
    Py_ssize_t prev_end = -2, prev_start = 0;
    const unsigned char *prev_core = (const unsigned char *)"";
    Py_ssize_t prev_n = 0;
    unsigned char buf[2 * MAX_TEXT + 2], lo_left[MAX_TEXT + 1], lo_right[MAX_TEXT + 1];
    for (Py_ssize_t i = 0; i < len;) {
        if (CLS(S, line[i]) & C_SPACE) {
            i++;
            continue;
        }
        Py_ssize_t start = i;
        while (i < len && !(CLS(S, line[i]) & C_SPACE)) i++;
        Py_ssize_t end = i;
        /* the core: the token without the non-word characters around it */
        Py_ssize_t a = start, b = end;
        while (a < b && !(CLS(S, line[a]) & C_WORD)) a++;
        while (b > a && !(CLS(S, line[b - 1]) & C_WORD)) b--;
        const unsigned char *core = line + a;
        Py_ssize_t n = b - a;
        int slash = 0;
        if (memchr(core, '/', n)) {
            /* "el/er", "bes/ut", "Socia/tjänsten": an l read as "/" */
            for (Py_ssize_t p = 0; p <= n && !slash;) {
                Py_ssize_t q = p;
                while (q < n && core[q] != '/') q++;
                const unsigned char *part = core + p;
                Py_ssize_t pn = q - p;
                if (pn && str_isalpha(S, part, pn) && str_islower(S, part, pn) && !all_known(S, part, pn)) slash = 1;
                p = q + 1;
            }
            if (!slash) {
                for (Py_ssize_t p = 0; p < n; p++) buf[p] = core[p] == '/' ? 'l' : core[p];
                slash = all_known(S, buf, n);
            }
        }
        int alpha = str_isalpha(S, core, n);
        int oov = alpha && !str_isupper(S, core, n) && !all_known(S, core, n);
        if (slash) EMIT(start);
        Py_ssize_t gap = start - prev_end;
        int prev_alpha = str_isalpha(S, prev_core, prev_n);
        if (gap == 1 && prev_alpha && alpha) {
            if (prev_oov && oov) {
                EMIT(start);
            } else if (oov || prev_oov || n <= 3 || prev_n <= 3) {
                /* "soci ltjänstens", "han läggning": a lost letter would join them into a
                 * word (beside an unknown word, a compound of known parts counts too) */
                if (prev_n + 1 + n > MAX_TEXT) { /* too long for the C compound search */
                    Py_DECREF(out);
                    Py_RETURN_NONE;
                }
                to_lower(S, prev_core, prev_n, buf);
                to_lower(S, core, n, buf + prev_n + 1);
                int joins = 0;
                for (int o = 0; o < S->n_lower && !joins; o++) {
                    buf[prev_n] = S->lower_opts[o].ch;
                    if (logf_common(S, buf, prev_n + 1 + n) ||
                        ((oov || prev_oov) && compound(S, buf, prev_n + 1 + n) != NEG))
                        joins = 1;
                }
                if (joins) EMIT(start);
            }
        } else if (gap == 2 && prev_alpha && alpha) {
            /* a double space: "andr  x" = "andra x", "x  rbetet" = "x arbetet" */
            to_lower(S, prev_core, prev_n, lo_left);
            to_lower(S, core, n, lo_right + 1);
            int sign = 0;
            lo_left[prev_n] = 'a';
            lo_right[0] = 'a';
            if (logf_common(S, lo_left, prev_n + 1) || logf_common(S, lo_right, n + 1)) sign = 1;
            for (int o = 0; o < S->n_lower && !sign; o++) {
                lo_left[prev_n] = S->lower_opts[o].ch;
                lo_right[0] = S->lower_opts[o].ch;
                int got = in_vocab(vocab, lo_left, prev_n + 1);
                if (got == 0) got = in_vocab(vocab, lo_right, n + 1);
                if (got < 0) goto fail;
                sign = got;
            }
            if (sign) EMIT(start);
        }
        if (oov && start > 0 && prev_end < 0 && (CLS(S, core[0]) & C_LOWER)) {
            /* " rbetet" at the start of a line */
            lo_right[0] = 'a';
            to_lower(S, core, n, lo_right + 1);
            if (logf_common(S, lo_right, n + 1) || start == 1) EMIT(start);
        }
        prev_oov = oov;
        prev_start = start;
        prev_end = end;
        prev_core = core;
        prev_n = n;
    }
    /* an unknown word ending a line that has a space after it: "socialsekreterarn " */
    if (prev_oov && prev_end < len && prev_n > 0 && prev_n <= MAX_TEXT && (CLS(S, prev_core[prev_n - 1]) & C_LOWER)) {
        to_lower(S, prev_core, prev_n, lo_left);
        lo_left[prev_n] = 'a';
        if (logf_common(S, lo_left, prev_n + 1)) EMIT(prev_start);
    }
#undef EMIT
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* the Latin-1 bytes of a str of 1..MAX_TEXT characters, or NULL: not handled here, or an
 * error (set) when arg is no str */
static const unsigned char *latin1_of(PyObject *arg, Py_ssize_t *n) {
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "expected a str");
        return NULL;
    }
    if (READY(arg) < 0) return NULL;
    *n = PyUnicode_GET_LENGTH(arg);
    if (PyUnicode_KIND(arg) != PyUnicode_1BYTE_KIND || *n > MAX_TEXT || *n == 0) return NULL;
    return PyUnicode_1BYTE_DATA(arg);
}

/* a method's argument as Latin-1 bytes (*t, *n): 1; 0 when it is not handled here (the
 * method answers None); -1 on an error */
static int method_arg(Scorer *S, PyObject *arg, const unsigned char **t, Py_ssize_t *n) {
    if (not_ready(S)) return -1;
    *t = latin1_of(arg, n);
    if (*t) return 1;
    return PyErr_Occurred() ? -1 : 0;
}

/* a yes-or-no check of arg as a bool; None when arg is not handled here */
static PyObject *check_of(Scorer *S, PyObject *arg, int (*check)(const Scorer *, const unsigned char *, Py_ssize_t)) {
    const unsigned char *t;
    Py_ssize_t n;
    int got = method_arg(S, arg, &t, &n);
    if (got <= 0) return got < 0 ? NULL : Py_NewRef(Py_None);
    return PyBool_FromLong(check(S, t, n));
}

static int is_compound(const Scorer *S, const unsigned char *w, Py_ssize_t n) {
    return compound(S, w, n) != NEG;
}

/* all_known(text): Lexicon.all_known */
static PyObject *Scorer_all_known(Scorer *S, PyObject *arg) { return check_of(S, arg, all_known); }

/* is_compound(w): can w be read as known parts (Lexicon.is_compound)? */
static PyObject *Scorer_is_compound(Scorer *S, PyObject *arg) { return check_of(S, arg, is_compound); }

/* compound(w): Lexicon.compound(w), for tests (ValueError when not handled) */
static PyObject *Scorer_compound(Scorer *S, PyObject *arg) {
    const unsigned char *t;
    Py_ssize_t n;
    int got = method_arg(S, arg, &t, &n);
    if (got <= 0) {
        if (got == 0) PyErr_SetString(PyExc_ValueError, "compound() takes 1-255 Latin-1 characters");
        return NULL;
    }
    double sc = compound(S, t, n);
    if (sc == NEG) Py_RETURN_NONE;
    return PyFloat_FromDouble(sc);
}

/* a word score of arg (word or token) as a float; None when arg is not handled here */
static PyObject *score_of(Scorer *S, PyObject *arg,
                          double (*score)(Scorer *, const unsigned char *, Py_ssize_t, int *)) {
    const unsigned char *t;
    Py_ssize_t n;
    int got = method_arg(S, arg, &t, &n);
    if (got <= 0) return got < 0 ? NULL : Py_NewRef(Py_None);
    int error = 0;
    double lp = score(S, t, n, &error);
    if (error) return NULL;
    return PyFloat_FromDouble(lp);
}

/* word(p): Lexicon.word, for tests */
static PyObject *Scorer_word(Scorer *S, PyObject *arg) { return score_of(S, arg, word); }

/* token(tok): Lexicon.token, for tests */
static PyObject *Scorer_token(Scorer *S, PyObject *arg) { return score_of(S, arg, token); }

static PyObject *Scorer_clear(Scorer *S, PyObject *Py_UNUSED(ignored)) {
    REFUSE_UNLESS_READY(S);
    map_clear(&S->word_cache);
    map_clear(&S->token_cache);
    map_clear(&S->prune_cache);
    Py_RETURN_NONE;
}

/* ---- construction ------------------------------------------------------------------- */
static int get_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t itemsize, const char *what) {
    if (PyObject_GetBuffer(obj, view, PyBUF_SIMPLE) < 0) return -1;
    if (view->len % itemsize) {
        PyErr_Format(PyExc_ValueError, "%s: %zd bytes is no whole number of items", what, view->len);
        PyBuffer_Release(view);
        view->obj = NULL;
        return -1;
    }
    return 0;
}

static int options_from(PyObject *seq, Option *out, int *count) {
    PyObject *fast = PySequence_Fast(seq, "options: a sequence of (character, log prior)");
    if (!fast) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    if (n > MAX_OPTS) {
        Py_DECREF(fast);
        PyErr_SetString(PyExc_ValueError, "too many options at one point");
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(fast, i);
        PyObject *ch;
        double lp;
        if (!PyArg_ParseTuple(item, "Ud", &ch, &lp)) goto fail;
        if (PyUnicode_GET_LENGTH(ch) != 1 || PyUnicode_READ_CHAR(ch, 0) > 255) {
            PyErr_SetString(PyExc_ValueError, "an option must be one Latin-1 character");
            goto fail;
        }
        out[i].ch = (unsigned char)PyUnicode_READ_CHAR(ch, 0);
        out[i].lp = lp;
    }
    *count = (int)n;
    Py_DECREF(fast);
    return 0;
fail:
    Py_DECREF(fast);
    return -1;
}

static void Scorer_dealloc(Scorer *S) {
    map_free(&S->logf);
    PyMem_Free(S->logf_filter);
    map_free(&S->parts);
    map_free(&S->short_words);
    map_free(&S->short_names);
    map_free(&S->word_cache);
    map_free(&S->token_cache);
    map_free(&S->prune_cache);
    PyMem_Free(S->pruned);
    if (S->steps_view.obj) PyBuffer_Release(&S->steps_view);
    if (S->nexts_view.obj) PyBuffer_Release(&S->nexts_view);
    if (S->first_view.obj) PyBuffer_Release(&S->first_view);
    if (S->child_code_view.obj) PyBuffer_Release(&S->child_code_view);
    if (S->child_node_view.obj) PyBuffer_Release(&S->child_node_view);
    PyMem_Free(S->trie_end);
    Py_TYPE(S)->tp_free((PyObject *)S);
}

/* Scorer(words, parts, short_words, short_names, steps, nexts, width, codes, end_code,
 *        start, trie, classes, lower, constants, lower_options, upper_options,
 *        ocr_options, one_letter, suffixes, max_combinations, cache_limit) */
static int Scorer_init(Scorer *S, PyObject *args, PyObject *kwds) {
    PyObject *words, *parts, *short_words, *short_names, *steps, *nexts, *codes, *trie, *classes;
    PyObject *lower, *constants, *lower_opts, *upper_opts, *ocr_opts, *one_letter, *suffixes;
    int width, end_code, start, max_combinations;
    Py_ssize_t cache_limit;
    if (!PyArg_ParseTuple(args, "OOOOOOiOiiOOOOOOOOOin", &words, &parts, &short_words, &short_names,
                          &steps, &nexts, &width, &codes, &end_code, &start, &trie, &classes, &lower,
                          &constants, &lower_opts, &upper_opts, &ocr_opts, &one_letter, &suffixes,
                          &max_combinations, &cache_limit))
        return -1;
    if (S->logf.slots) {
        PyErr_SetString(PyExc_RuntimeError, "a Scorer is initialised once");
        return -1;
    }
    if (map_from_dict(&S->logf, words) < 0 || map_from_dict(&S->parts, parts) < 0 ||
        map_from_strings(&S->short_words, short_words) < 0 || map_from_strings(&S->short_names, short_names) < 0 ||
        map_init(&S->word_cache, 1 << 16) < 0 || map_init(&S->token_cache, 1 << 12) < 0 ||
        map_init(&S->prune_cache, 1 << 14) < 0)
        return -1;
    S->logf_filter = filter_of(&S->logf);
    if (!S->logf_filter) return -1;
    S->cache_limit = (size_t)cache_limit;
    if (get_buffer(steps, &S->steps_view, sizeof(double), "steps") < 0 ||
        get_buffer(nexts, &S->nexts_view, sizeof(int32_t), "nexts") < 0)
        return -1;
    S->steps = S->steps_view.buf;
    S->nexts = S->nexts_view.buf;
    S->width = width;
    S->end_code = end_code;
    S->start = start;
    if (width <= 0 || width > 256) {
        PyErr_SetString(PyExc_ValueError, "width: 1-256 character codes");
        return -1;
    }
    S->n_states = S->steps_view.len / (Py_ssize_t)sizeof(double) / width;
    if (S->nexts_view.len / (Py_ssize_t)sizeof(int32_t) != S->n_states * width || start < 0 ||
        start >= S->n_states || end_code < 0 || end_code >= width) {
        PyErr_SetString(PyExc_ValueError, "the character model's tables do not fit together");
        return -1;
    }
    if (!PyBytes_Check(codes) || PyBytes_GET_SIZE(codes) != 256 * 2) {
        PyErr_SetString(PyExc_ValueError, "codes: 256 16-bit codes");
        return -1;
    }
    for (int i = 0; i < 256; i++) {
        const unsigned char *b = (const unsigned char *)PyBytes_AS_STRING(codes) + 2 * i;
        S->codes[i] = b[0] | (b[1] << 8);
        if (S->codes[i] >= width) {
            PyErr_SetString(PyExc_ValueError, "codes: a code beyond the model's width");
            return -1;
        }
    }
    /* the model's tables are read at state * width + code; every next state must be one */
    for (Py_ssize_t i = 0; i < S->n_states * width; i++) {
        if (S->nexts[i] < 0 || S->nexts[i] >= S->n_states) {
            PyErr_SetString(PyExc_ValueError, "the character model names a state it does not have");
            return -1;
        }
    }
    PyObject *first, *child_code, *child_node, *ends;
    if (!PyArg_ParseTuple(trie, "OOOO", &first, &child_code, &child_node, &ends)) return -1;
    if (get_buffer(first, &S->first_view, 1, "trie") < 0 || get_buffer(child_code, &S->child_code_view, 1, "trie") < 0 ||
        get_buffer(child_node, &S->child_node_view, 1, "trie") < 0)
        return -1;
    S->first = S->first_view.buf;
    S->child_code = S->child_code_view.buf;
    S->child_node = S->child_node_view.buf;
    PyObject *fast = PySequence_Fast(ends, "trie ends: a sequence of floats");
    if (!fast) return -1;
    S->trie_nodes = PySequence_Fast_GET_SIZE(fast);
    S->trie_end = PyMem_Malloc(sizeof(double) * (S->trie_nodes ? S->trie_nodes : 1));
    if (!S->trie_end) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < S->trie_nodes; i++) {
        S->trie_end[i] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(fast, i));
        if (S->trie_end[i] == -1.0 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return -1;
        }
    }
    Py_DECREF(fast);
    if (S->first_view.len != 3 * (S->trie_nodes + 1) || S->child_node_view.len != 3 * S->child_code_view.len) {
        PyErr_SetString(PyExc_ValueError, "the trie's tables do not fit together");
        return -1;
    }
    for (Py_ssize_t i = 0; i < S->child_code_view.len; i++) {
        if (read3(S->child_node, 3 * i) >= (uint32_t)S->trie_nodes) {
            PyErr_SetString(PyExc_ValueError, "the trie names a node it does not have");
            return -1;
        }
    }
    for (Py_ssize_t i = 0; i <= S->trie_nodes; i++) {
        if (read3(S->first, 3 * i) > (uint32_t)S->child_code_view.len) {
            PyErr_SetString(PyExc_ValueError, "the trie's offsets run past its children");
            return -1;
        }
    }
    for (int c = 0; c < 256; c++) S->root_child[c] = -1;
    if (S->trie_nodes > 0) {
        for (uint32_t at = read3(S->first, 0); at < read3(S->first, 3); at++)
            S->root_child[S->child_code[at]] = (int32_t)read3(S->child_node, 3 * (Py_ssize_t)at);
    }
    if (!PyBytes_Check(classes) || PyBytes_GET_SIZE(classes) != 512 || !PyBytes_Check(lower) ||
        PyBytes_GET_SIZE(lower) != 256) {
        PyErr_SetString(PyExc_ValueError, "classes: 256 16-bit flags; lower: 256 bytes");
        return -1;
    }
    for (int i = 0; i < 256; i++) {
        const unsigned char *b = (const unsigned char *)PyBytes_AS_STRING(classes) + 2 * i;
        S->cls[i] = (uint16_t)(b[0] | (b[1] << 8));
        S->lower[i] = (unsigned char)PyBytes_AS_STRING(lower)[i];
    }
    fast = PySequence_Fast(constants, "constants: a sequence of floats");
    if (!fast) return -1;
    if (PySequence_Fast_GET_SIZE(fast) != K_COUNT) {
        Py_DECREF(fast);
        PyErr_Format(PyExc_ValueError, "constants: expected %d", (int)K_COUNT);
        return -1;
    }
    for (int i = 0; i < K_COUNT; i++) {
        S->k[i] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(fast, i));
        if (S->k[i] == -1.0 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return -1;
        }
    }
    Py_DECREF(fast);
    if (options_from(lower_opts, S->lower_opts, &S->n_lower) < 0 ||
        options_from(upper_opts, S->upper_opts, &S->n_upper) < 0)
        return -1;
    if (!PyDict_Check(ocr_opts)) {
        PyErr_SetString(PyExc_TypeError, "ocr_options: a dict");
        return -1;
    }
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(ocr_opts, &pos, &key, &value)) {
        Option two[MAX_OPTS];
        int n2;
        if (!PyUnicode_Check(key) || PyUnicode_GET_LENGTH(key) != 1 || PyUnicode_READ_CHAR(key, 0) > 255 ||
            PyUnicode_READ_CHAR(key, 0) == 0) {
            PyErr_SetString(PyExc_ValueError, "ocr_options: keys are single Latin-1 characters");
            return -1;
        }
        if (options_from(value, two, &n2) < 0) return -1;
        if (n2 != 2) {
            PyErr_SetString(PyExc_ValueError, "ocr_options: two readings per character");
            return -1;
        }
        unsigned char ch = (unsigned char)PyUnicode_READ_CHAR(key, 0);
        S->is_ocr[ch] = 1;
        S->ocr_opts[ch][0] = two[0];
        S->ocr_opts[ch][1] = two[1];
    }
    if (!PyUnicode_Check(one_letter) || PyUnicode_KIND(one_letter) != PyUnicode_1BYTE_KIND) {
        PyErr_SetString(PyExc_ValueError, "one_letter: a Latin-1 str");
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(one_letter); i++)
        S->one_letter[PyUnicode_1BYTE_DATA(one_letter)[i]] = 1;
    fast = PySequence_Fast(suffixes, "suffixes: a sequence of str");
    if (!fast) return -1;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(fast); i++) {
        PyObject *s = PySequence_Fast_GET_ITEM(fast, i);
        Py_ssize_t len = PyUnicode_Check(s) ? PyUnicode_GET_LENGTH(s) : 0;
        if (!PyUnicode_Check(s) || PyUnicode_KIND(s) != PyUnicode_1BYTE_KIND || len < 1 || len > 7 ||
            S->n_suffixes[len] >= 64) {
            Py_DECREF(fast);
            PyErr_SetString(PyExc_ValueError, "suffixes: Latin-1 strings of 1-7 letters, at most 64 of each length");
            return -1;
        }
        S->suffixes[len][S->n_suffixes[len]++] = pack(PyUnicode_1BYTE_DATA(s), len);
    }
    Py_DECREF(fast);
    S->max_combinations = max_combinations;
    S->ready = 1;
    return 0;
}

static int not_ready(const void *scorer) {
    if (((const Scorer *)scorer)->ready) return 0;
    PyErr_SetString(PyExc_RuntimeError, "this Scorer was never initialised, or its __init__ failed");
    return 1;
}

static PyMethodDef Scorer_methods[] = {
    {"fills", (PyCFunction)Scorer_fills, METH_O,
     "fills(template) -> the best fillings ((score, text), ...), best first; None when not handled"},
    {"fills_and_words", (PyCFunction)Scorer_fills_and_words, METH_O,
     "fills_and_words(template) -> (fills, restored words); None when not handled"},
    {"plausible_start", (PyCFunction)Scorer_plausible_start, METH_VARARGS,
     "plausible_start(prev, chunk) -> bool; None when not handled"},
    {"decode_line", (PyCFunction)Scorer_decode_line, METH_VARARGS,
     "decode_line(line, lr, lnr, trail_base, protected, best_fills) -> [(position, character, "
     "is_ocr, path margin, letter margin), ...]; None when not handled"},
    {"weak_signals", (PyCFunction)Scorer_weak_signals, METH_VARARGS,
     "weak_signals(line, doc_vocab) -> offsets; None when not handled"},
    {"all_known", (PyCFunction)Scorer_all_known, METH_O, "all_known(text) -> bool; None when not handled"},
    {"is_compound", (PyCFunction)Scorer_is_compound, METH_O, "is_compound(w) -> bool; None when not handled"},
    {"compound", (PyCFunction)Scorer_compound, METH_O, "compound(w) -> score or None (no compound)"},
    {"word", (PyCFunction)Scorer_word, METH_O, "word(p) -> Lexicon.word(p); None when not handled"},
    {"token", (PyCFunction)Scorer_token, METH_O, "token(tok) -> Lexicon.token(tok); None when not handled"},
    {"clear", (PyCFunction)Scorer_clear, METH_NOARGS, "forget the cached word scores"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ScorerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "pipeline._decode.Scorer",
    .tp_basicsize = sizeof(Scorer),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "the restorer's template filling and word scores over the lexicon's tables",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Scorer_init,
    .tp_dealloc = (destructor)Scorer_dealloc,
    .tp_methods = Scorer_methods,
};

static struct PyModuleDef decode_module = {
    PyModuleDef_HEAD_INIT, "_decode",
    "The lost-letter restorer's decoder in C (see pipeline/restore/).", -1, NULL,
};

PyMODINIT_FUNC PyInit__decode(void) {
    if (PyType_Ready(&ScorerType) < 0) return NULL;
    PyObject *m = PyModule_Create(&decode_module);
    if (!m) return NULL;
    Py_INCREF(&ScorerType);
    if (PyModule_AddObject(m, "Scorer", (PyObject *)&ScorerType) < 0) {
        Py_DECREF(&ScorerType);
        Py_DECREF(m);
        return NULL;
    }
#ifdef NAMND_SOURCE_SHA256
    if (PyModule_AddStringConstant(m, "_SOURCE_SHA256", NAMND_SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
#endif
    return m;
}
