#!/usr/bin/env python3
# iso-codes.py - write country.codes and currency.codes from Debian's
# iso-codes data, so that ncen's countries and currencies are the
# published standards and never typed by hand.
#
# Usage: iso-codes.py [--json DIR] [--locale DIR] OUTDIR
#
# Reads DIR/iso_3166-1.json and DIR/iso_4217.json (default
# /usr/share/iso-codes/json) for the codes and English names, and the
# gettext catalogues LOCALE/fr/LC_MESSAGES/iso_3166-1.mo and iso_4217.mo
# (default /usr/share/locale) for the French names.  Writes
# OUTDIR/country.codes (ISO 3166-1 alpha-2) and OUTDIR/currency.codes
# (ISO 4217 alphabetic) in the ncen-forms(5) code list format, sorted by
# code, each file replaced whole or not at all.  Python 3 standard
# library only; the output depends on nothing but the input files.

import argparse
import gettext
import json
import os
import re
import sys

PROG = "iso-codes.py"


def die(msg):
    """Report a problem on stderr and exit 1."""
    sys.stderr.write("%s: %s\n" % (PROG, msg))
    sys.exit(1)


def load_json(path, key):
    """The list of entries under key in an iso-codes JSON file."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        die("%s: %s (Debian package iso-codes)" % (path, e.strerror))
    except ValueError as e:
        die("%s: not valid JSON: %s" % (path, e))
    if not isinstance(data.get(key), list):
        die("%s: expected a list under '%s'" % (path, key))
    return data[key]


def load_mo(path):
    """A gettext catalogue, read with the standard library."""
    try:
        with open(path, "rb") as f:
            return gettext.GNUTranslations(f)
    except OSError as e:
        die("%s: %s (Debian package iso-codes)" % (path, e.strerror))
    except Exception as e:  # a damaged catalogue: name it
        die("%s: not a gettext catalogue: %s" % (path, e))


def quote(s, where):
    """s as a quoted label of the .codes format (ncen-forms(5))."""
    s = s.strip()
    if s == "":
        die("%s: empty name" % where)
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20 or ord(ch) == 0x7f:
            die("%s: control character 0x%02x in a name" % (where, ord(ch)))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def rows(entries, code_key, code_re, names, mo, what):
    """Sorted (code, English, French) for each entry, checked."""
    seen = {}
    for e in entries:
        code = e.get(code_key)
        if not isinstance(code, str) or not re.fullmatch(code_re, code):
            die("%s: bad %s code %r" % (what, code_key, code))
        if code in seen:
            die("%s: code %s twice" % (what, code))
        en = next((e[k] for k in names if isinstance(e.get(k), str)), None)
        if en is None:
            die("%s: %s has no name" % (what, code))
        # The French catalogue is keyed by the English name; fall back to
        # the official name's translation, then to the English name.
        fr = en
        for k in names:
            if isinstance(e.get(k), str):
                t = mo.gettext(e[k])
                if t != e[k] or k == names[-1]:
                    fr = t
                    break
        seen[code] = (en, fr)
    return sorted((c, en, fr) for c, (en, fr) in seen.items())


def write_list(outdir, name, header, entries):
    """Write NAME.codes atomically: a temporary file, then a rename."""
    path = os.path.join(outdir, name + ".codes")
    tmp = path + ".tmp"
    lines = ["ncen-codes 1"]
    lines += ["# " + h if h else "#" for h in header]
    lines.append("list %s 1" % name)
    for code, en, fr in entries:
        where = "%s %s" % (name, code)
        lines.append("%s\t%s\t%s" % (code, quote(en, where), quote(fr, where)))
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        die("%s: %s" % (e.filename or path, e.strerror))


def main():
    ap = argparse.ArgumentParser(prog=PROG, description="Write "
                                 "country.codes and currency.codes from "
                                 "Debian's iso-codes.")
    ap.add_argument("--json", default="/usr/share/iso-codes/json",
                    help="directory of iso_3166-1.json and iso_4217.json")
    ap.add_argument("--locale", default="/usr/share/locale",
                    help="directory of the fr/LC_MESSAGES catalogues")
    ap.add_argument("outdir", help="where to write the two code lists")
    a = ap.parse_args()

    mo_dir = os.path.join(a.locale, "fr", "LC_MESSAGES")
    countries = rows(load_json(os.path.join(a.json, "iso_3166-1.json"),
                               "3166-1"),
                     "alpha_2", r"[A-Z]{2}", ("common_name", "name"),
                     load_mo(os.path.join(mo_dir, "iso_3166-1.mo")),
                     "iso_3166-1.json")
    currencies = rows(load_json(os.path.join(a.json, "iso_4217.json"),
                                "4217"),
                      "alpha_3", r"[A-Z]{3}", ("name",),
                      load_mo(os.path.join(mo_dir, "iso_4217.mo")),
                      "iso_4217.json")

    note = ["Generated by forms/iso-codes.py from Debian's iso-codes "
            "(English names",
            "from its JSON data, French names from its gettext "
            "catalogues): do not",
            "edit; rebuild instead."]
    write_list(a.outdir, "country",
               ["country.codes - countries, ISO 3166-1 alpha-2.", ""] + note,
               countries)
    write_list(a.outdir, "currency",
               ["currency.codes - currencies, ISO 4217 alphabetic codes.",
                ""] + note, currencies)


if __name__ == "__main__":
    main()
