"""Text of 38 European languages from Debian packages, for tolk's language
identifier: what to download, how to pull the translated text out of each
kind of file, how to drop untranslated English, and the split by source
document into train and held-out.

Python standard library only.  The packages are fetched with apt-get
download into a cache folder outside the repository and unpacked with
dpkg-deb -x; the Debian translated package descriptions come from an
apt-get update into a private lists folder (Acquire::Languages), and are
decompressed with lz4 (package lz4).  The Maltese word list is read out of
tesseract-ocr-mlt with combine_tessdata and dawg2wordlist (package
tesseract-ocr).

The Universal Declaration of Human Rights is never read here: Debian has
no UDHR package in bookworm, and it must stay out of training anyway.
"""

import glob
import hashlib
import html
import os
import re
import struct
import subprocess
import unicodedata
import zipfile

# code: (firefox locale, thunderbird locale, gettext locales)
LANGS = {
    "bg": ("bg", "bg", ["bg"]),
    "hr": ("hr", "hr", ["hr"]),
    "cs": ("cs", "cs", ["cs"]),
    "da": ("da", "da", ["da"]),
    "nl": ("nl", "nl", ["nl"]),
    "en": ("en-GB", "en-GB", ["en_GB"]),
    "et": ("et", "et", ["et"]),
    "fi": ("fi", "fi", ["fi"]),
    "fr": ("fr", "fr", ["fr"]),
    "de": ("de", "de", ["de"]),
    "el": ("el", "el", ["el"]),
    "hu": ("hu", "hu", ["hu"]),
    "ga": ("ga-IE", "ga-IE", ["ga"]),
    "it": ("it", "it", ["it"]),
    "lv": ("lv", "lv", ["lv"]),
    "lt": ("lt", "lt", ["lt"]),
    "mt": (None, None, ["mt"]),
    "pl": ("pl", "pl", ["pl"]),
    "pt": ("pt-PT", "pt-PT", ["pt"]),
    "ro": ("ro", "ro", ["ro"]),
    "sk": ("sk", "sk", ["sk"]),
    "sl": ("sl", "sl", ["sl"]),
    "es": ("es-ES", "es-ES", ["es"]),
    "sv": ("sv-SE", "sv-SE", ["sv"]),
    "nb": ("nb-NO", "nb-NO", ["nb"]),
    "nn": ("nn-NO", "nn-NO", ["nn"]),
    "is": ("is", "is", ["is"]),
    "uk": ("uk", "uk", ["uk"]),
    "sr": ("sr", "sr", ["sr", "sr@latin"]),
    "ru": ("ru", "ru", ["ru"]),
    "tr": ("tr", "tr", ["tr"]),
    "ca": ("ca", "ca", ["ca"]),
    "eu": ("eu", "eu", ["eu"]),
    "gl": ("gl", "gl", ["gl"]),
    "cy": ("cy", "cy", ["cy"]),
    "sq": ("sq", "sq", ["sq"]),
    "mk": ("mk", None, ["mk"]),
    "bs": ("bs", None, ["bs"]),
}

# Packages whose gettext catalogues cover many of the languages.
MO_PACKAGES = ["libgtk-3-common", "libgtk2.0-common", "libglib2.0-data",
               "util-linux-locales", "iso-codes", "gnome-shell-common",
               "nautilus-data", "gnome-control-center-data",
               "evolution-data-server-common", "gedit-common",
               "totem-common", "gnome-terminal-data", "gnome-desktop3-data"]
# LibreOffice's user interface catalogues: package suffix, resource
# folders (Debian has none for Maltese or Albanian).
LIBREOFFICE = {
    "bg": ("bg", ["bg"]), "hr": ("hr", ["hr"]), "cs": ("cs", ["cs"]),
    "da": ("da", ["da"]), "nl": ("nl", ["nl"]), "en": ("en-gb", ["en-GB"]),
    "et": ("et", ["et"]), "fi": ("fi", ["fi"]), "fr": ("fr", ["fr"]),
    "de": ("de", ["de"]), "el": ("el", ["el"]), "hu": ("hu", ["hu"]),
    "ga": ("ga", ["ga"]), "it": ("it", ["it"]), "lv": ("lv", ["lv"]),
    "lt": ("lt", ["lt"]), "pl": ("pl", ["pl"]), "pt": ("pt", ["pt"]),
    "ro": ("ro", ["ro"]), "sk": ("sk", ["sk"]), "sl": ("sl", ["sl"]),
    "es": ("es", ["es"]), "sv": ("sv", ["sv"]), "nb": ("nb", ["nb"]),
    "nn": ("nn", ["nn"]), "is": ("is", ["is"]), "uk": ("uk", ["uk"]),
    "sr": ("sr", ["sr", "sr-Latn"]), "ru": ("ru", ["ru"]),
    "tr": ("tr", ["tr"]), "ca": ("ca", ["ca"]), "eu": ("eu", ["eu"]),
    "gl": ("gl", ["gl"]), "cy": ("cy", ["cy"]), "mk": ("mk", ["mk"]),
    "bs": ("bs", ["bs"]),
}
# iso-codes domains with sentence-free names; kept only for Maltese,
# which has little else.
ISO_DOMAINS = ("iso_3166", "iso_3166-1", "iso_3166-2", "iso_639-2",
               "iso_639-3", "iso_15924", "iso_4217")


def packages():
    """Every binary package the corpus needs."""
    out = []
    for code, (ff, tb, _) in sorted(LANGS.items()):
        if ff:
            out.append("firefox-esr-l10n-" + ff.lower())
        if tb:
            out.append("thunderbird-l10n-" + tb.lower())
    out += MO_PACKAGES
    out += ["libreoffice-l10n-" + v[0] for _, v in sorted(LIBREOFFICE.items())]
    out += ["tesseract-ocr-mlt"]
    return out


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def fetch(cache):
    """Download and unpack every package into cache; return a list of
    (package, version) pairs in the order used."""
    debs = os.path.join(cache, "debs")
    xdir = os.path.join(cache, "x")
    os.makedirs(debs, exist_ok=True)
    os.makedirs(xdir, exist_ok=True)
    want = packages()
    have = {os.path.basename(p).split("_")[0]
            for p in glob.glob(os.path.join(debs, "*.deb"))}
    missing = [p for p in want if p not in have]
    if missing:
        run(["apt-get", "download"] + missing, cwd=debs)
    versions = []
    for p in want:
        deb = sorted(glob.glob(os.path.join(debs, p + "_*.deb")))[-1]
        ver = subprocess.run(["dpkg-deb", "-f", deb, "Version"], check=True,
                             capture_output=True, text=True).stdout.strip()
        versions.append((p, ver))
        dest = os.path.join(xdir, p)
        if not os.path.isdir(dest):
            os.makedirs(dest)
            run(["dpkg-deb", "-x", deb, dest])
    return versions


def fetch_descriptions(cache):
    """Debian's translated package descriptions (Translation-LL)."""
    lists = os.path.join(cache, "lists")
    os.makedirs(os.path.join(lists, "partial"), exist_ok=True)
    langs = ",".join(sorted(LANGS))
    run(["apt-get", "update", "-q", "-o", "Dir::State::Lists=" + lists,
         "-o", "Acquire::Languages=" + langs,
         "-o", "APT::Get::List-Cleanup=0"], stdout=subprocess.DEVNULL)
    out = {}
    for path in glob.glob(os.path.join(
            lists, "*_debian_dists_*_main_i18n_Translation-*")):
        code = path.rsplit("-", 1)[1].split(".")[0]
        if code in LANGS and code != "en":
            out.setdefault(code, []).append(path)
    return out


# ------------------------------------------------------------------
# Pulling text out of files.

PLACEABLE = re.compile(r"\{[^{}]*\}|<[^<>]*>|%\d*\$?[sdSu@]|%\(\w+\)s|&\w+;"
                       r"|\$\w+|%[\w.-]+%|#\d|\\n")
SPACES = re.compile(r"\s+")


def clean(s):
    s = html.unescape(s)
    s = PLACEABLE.sub(" ", s)
    s = s.replace("&", "").replace("_", "")
    s = unicodedata.normalize("NFC", s)
    return SPACES.sub(" ", s).strip()


def ftl_values(text):
    """Values of a Fluent file (messages, attributes, multi-line)."""
    vals = []
    cur = None
    for line in text.split("\n"):
        if not line.strip() or line.startswith("#"):
            if cur is not None:
                vals.append(cur)
                cur = None
            continue
        m = re.match(r"^(-?[\w-]+|\s+\.[\w-]+)\s*=\s?(.*)$", line)
        if m:
            if cur is not None:
                vals.append(cur)
            cur = m.group(2)
        elif line.startswith(" ") and cur is not None:
            st = line.strip()
            if st.startswith(("*[", "[", "}")) or st.endswith("->"):
                m2 = re.match(r"^\*?\[[^\]]*\]\s*(.*)$", st)
                if m2:
                    vals.append(cur)
                    cur = m2.group(1)
                continue
            cur += " " + st
    if cur is not None:
        vals.append(cur)
    return vals


def properties_values(text):
    vals = []
    for line in text.split("\n"):
        line = line.strip()
        if not line or line[0] in "#!" or "=" not in line:
            continue
        v = line.split("=", 1)[1].strip()
        try:
            v = v.encode("latin-1", "backslashreplace").decode(
                "unicode-escape")
        except (UnicodeDecodeError, UnicodeEncodeError):
            pass
        vals += v.split(";")
    return vals


def dtd_values(text):
    return re.findall(r'<!ENTITY\s+\S+\s+"([^"]*)"', text)


def xpi_docs(path, locale):
    """(docid, strings) per file of a Mozilla language pack."""
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            ext = name.rsplit(".", 1)[-1]
            if ext not in ("ftl", "properties", "dtd"):
                continue
            try:
                text = z.read(name).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if ext == "ftl":
                vals = ftl_values(text)
            elif ext == "properties":
                vals = properties_values(text)
            else:
                vals = dtd_values(text)
            doc = "moz:" + re.sub(r"/" + re.escape(locale) + r"(/|$)",
                                  "/LL/", name)
            yield doc, vals


def mo_pairs(path):
    """(msgid, msgstr) pairs of a gettext .mo file, plural forms split."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    e = "<" if magic == 0x950412de else ">"
    _, n, oo, to = struct.unpack(e + "4I", data[4:20])
    for i in range(n):
        ol, op = struct.unpack(e + "2I", data[oo + 8 * i:oo + 8 * i + 8])
        tl, tp = struct.unpack(e + "2I", data[to + 8 * i:to + 8 * i + 8])
        mid = data[op:op + ol].decode("utf-8", "replace")
        mstr = data[tp:tp + tl].decode("utf-8", "replace")
        if not mid:
            continue
        ids = mid.split("\0")
        if "\x04" in ids[0]:
            ids[0] = ids[0].split("\x04", 1)[1]
        for s in mstr.split("\0"):
            yield ids[0], s


def description_docs(path):
    """(docid, [text]) per package of a Translation-LL file."""
    raw = subprocess.run(["lz4", "-dc", path], check=True,
                         capture_output=True).stdout.decode("utf-8",
                                                             "replace")
    for para in raw.split("\n\n"):
        pkg = None
        desc = []
        inside = False
        for line in para.split("\n"):
            if line.startswith("Package:"):
                pkg = line.split(":", 1)[1].strip()
            elif line.startswith("Description-"):
                desc.append(line.split(":", 1)[1].strip())
                inside = True
            elif inside and line.startswith(" "):
                t = line.strip()
                desc.append("\n" if t == "." else t)
        if pkg and desc:
            text = " ".join(desc)
            parts = [p.strip() for p in text.split("\n")]
            yield "deb:" + pkg, parts


def tesseract_words(xdir, cache):
    """Words of the Maltese tesseract dictionary."""
    td = glob.glob(os.path.join(xdir, "tesseract-ocr-mlt", "usr", "share",
                                "tesseract-ocr", "*", "tessdata",
                                "mlt.traineddata"))
    if not td:
        return []
    work = os.path.join(cache, "tess")
    os.makedirs(work, exist_ok=True)
    run(["combine_tessdata", "-u", td[0], os.path.join(work, "mlt.")],
        stdout=subprocess.DEVNULL)
    out = os.path.join(work, "mlt.words")
    run(["dawg2wordlist", os.path.join(work, "mlt.lstm-unicharset"),
         os.path.join(work, "mlt.lstm-word-dawg"), out],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out, encoding="utf-8", errors="replace") as f:
        return [w.strip() for w in f if w.strip()]


# ------------------------------------------------------------------
# Untranslated English.

EN_STOP = set("the and of to with you your this that are from will be is "
              "for not can has have was were which when what it on in by "
              "or an as at".split())
EN_STRONG = set("the and of with you your this that are from will when "
                "what which".split())


def looks_english(s):
    words = re.findall(r"[a-zA-Z']+", s.lower())
    if len(words) < 2:
        return False
    strong = sum(1 for w in words if w in EN_STRONG)
    stop = sum(1 for w in words if w in EN_STOP)
    return strong >= 1 and stop >= 0.25 * len(words)


# Serbian is written in both scripts; Latin Serbian text is added by the
# standard (one to one) transliteration of Cyrillic Serbian.
SR_LAT = dict(zip(
    "абвгдђежзијклљмнњопрстћуфхцчџшАБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ",
    ["a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l",
     "lj", "m", "n", "nj", "o", "p", "r", "s", "t", "ć", "u", "f", "h", "c",
     "č", "dž", "š", "A", "B", "V", "G", "D", "Đ", "E", "Ž", "Z", "I", "J",
     "K", "L", "Lj", "M", "N", "Nj", "O", "P", "R", "S", "T", "Ć", "U",
     "F", "H", "C", "Č", "Dž", "Š"]))


def sr_latin(s):
    return "".join(SR_LAT.get(c, c) for c in s)


def letters(s):
    return sum(1 for c in s if c.isalpha())


def collect(cache, versions, descs, max_desc_chars):
    """{lang: {docid: [strings]}} from everything fetched."""
    xdir = os.path.join(cache, "x")
    corpus = {code: {} for code in LANGS}

    def add(code, doc, vals):
        d = corpus[code].setdefault(doc, [])
        for v in vals:
            v = clean(v)
            if letters(v) >= 2:
                d.append(v)

    for code, (ff, tb, mos) in LANGS.items():
        for prog, loc in (("firefox-esr", ff), ("thunderbird", tb)):
            if not loc:
                continue
            for xpi in glob.glob(os.path.join(
                    xdir, prog + "-l10n-" + loc.lower(), "**", "*.xpi"),
                    recursive=True):
                for doc, vals in xpi_docs(xpi, loc):
                    add(code, doc, vals)
        for pkg in MO_PACKAGES:
            for loc in mos:
                for mo in glob.glob(os.path.join(
                        xdir, pkg, "usr", "share", "locale", loc,
                        "LC_MESSAGES", "*.mo")):
                    dom = os.path.basename(mo)[:-3]
                    if dom in ISO_DOMAINS and code != "mt":
                        continue
                    if dom.startswith("iso_639") and code == "mt":
                        continue
                    vals = [s for i, s in mo_pairs(mo) if s and s != i]
                    add(code, "mo:" + dom, vals)
        if code in LIBREOFFICE:
            pkg, dirs = LIBREOFFICE[code]
            for loc in dirs:
                for mo in sorted(glob.glob(os.path.join(
                        xdir, "libreoffice-l10n-" + pkg, "usr", "lib",
                        "libreoffice", "program", "resource", loc,
                        "LC_MESSAGES", "*.mo"))):
                    vals = [s for i, s in mo_pairs(mo) if s and s != i]
                    add(code, "lo:" + os.path.basename(mo)[:-3], vals)
        total = 0
        for path in sorted(descs.get(code, [])):
            for doc, vals in description_docs(path):
                if total > max_desc_chars:
                    break
                add(code, doc, vals)
                total += sum(len(v) for v in vals)
    # Maltese words from the OCR dictionary, in 40 buckets of words so
    # the split by document still holds words out.
    words = tesseract_words(xdir, cache)
    for w in words:
        b = int(hashlib.md5(w.encode()).hexdigest()[:6], 16) % 40
        corpus["mt"].setdefault("tess:%02d" % b, []).append(w)
    # Latin Serbian beside Cyrillic Serbian.
    for doc, vals in list(corpus["sr"].items()):
        if any("\u0400" <= c <= "\u04ff" for v in vals for c in v):
            corpus["sr"]["lat:" + doc] = [sr_latin(v) for v in vals
                                          if any("\u0400" <= c <= "\u04ff"
                                                 for c in v)]
    # Untranslated English: strings equal to an English one, or that
    # look English.
    english = set()
    for vals in corpus["en"].values():
        english.update(v for v in vals if letters(v) >= 4)
    for code in corpus:
        if code == "en":
            continue
        for doc in list(corpus[code]):
            kept = [v for v in corpus[code][doc]
                    if v not in english and not looks_english(v)]
            if kept:
                corpus[code][doc] = kept
            else:
                del corpus[code][doc]
    return corpus


def is_heldout(doc):
    """One document in five is held out; latin twins follow their
    Cyrillic original."""
    if doc.startswith("lat:"):
        doc = doc[4:]
    return int(hashlib.md5(doc.encode()).hexdigest()[:8], 16) % 5 == 0
