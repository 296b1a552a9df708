"""Translation catalogs compiled without GNU gettext: a `.po` file read, a `.mo` file written.

`manage.py compile_catalogs` (run by `make install`, hence by `make run` and `make test`) turns
every locale/<lang>/LC_MESSAGES/django.po into its .mo, so a fresh machine needs no `msgfmt`;
the .mo files are never committed (.gitignore). The format is GNU gettext's, as Python's own
Tools/i18n/msgfmt.py writes it: a header, two tables of (length, offset) and the strings.
Entries marked fuzzy and untranslated ones are left out, as msgfmt does: gettext then falls back
to the English msgid.
"""

import ast
import struct
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False

    @property
    def key(self) -> str:
        """The msgid as the .mo file stores it: context + EOT, plural forms joined by NUL."""
        key = self.msgid if self.msgid_plural is None else f"{self.msgid}\0{self.msgid_plural}"
        return key if self.msgctxt is None else f"{self.msgctxt}\x04{key}"

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def _unquote(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"{path}:{number}: expected a quoted string, got {text[:40]!r}")
    # A .po string is a C string: the escapes Python reads the same (\n, \t, \", \\).
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """Every entry of a .po file, the header (msgid "") included, in order."""
    entries: list[Entry] = []
    entry, has_msgstr = Entry(), False
    current: tuple[str, int] | None = None  # the keyword a continuation line extends

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue  # obsolete entries are not compiled
        keyword, _, rest = line.partition(" ")
        starts_entry = line.startswith("#") or keyword in ("msgctxt", "msgid")
        if has_msgstr and starts_entry:
            entries.append(entry)
            entry, has_msgstr, current = Entry(), False, None
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                entry.fuzzy = True
            continue
        if line.startswith('"'):
            if current is None:
                raise ValueError(f"{path}:{number}: a string continues nothing")
            name, index = current
            value = _unquote(line, path, number)
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, getattr(entry, name) + value)
        elif keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(entry, keyword, _unquote(rest, path, number))
            current = (keyword, 0)
        elif keyword == "msgstr" or (keyword.startswith("msgstr[") and keyword.endswith("]")):
            index = 0 if keyword == "msgstr" else int(keyword[7:-1])
            entry.msgstr[index] = _unquote(rest, path, number)
            current, has_msgstr = ("msgstr", index), True
        else:
            raise ValueError(f"{path}:{number}: unknown keyword {keyword!r}")
    if has_msgstr:
        entries.append(entry)
    return entries


def mo_bytes(entries: list[Entry]) -> bytes:
    """The .mo file of these entries: the header and every translated, non-fuzzy entry."""
    pairs = {}
    for entry in entries:
        if entry.msgid == "" and entry.msgctxt is None:
            pairs[""] = entry.msgstr.get(0, "")  # the header: charset and plural forms
        elif entry.translated and not entry.fuzzy:
            pairs[entry.key] = "\0".join(entry.msgstr[i] for i in sorted(entry.msgstr))
    keys = sorted(pairs)
    ids = [key.encode("utf-8") for key in keys]
    strs = [pairs[key].encode("utf-8") for key in keys]
    count = len(keys)
    ids_table = 7 * 4
    strs_table = ids_table + count * 8
    data_start = strs_table + count * 8
    offsets, blob = [], b""
    for text in ids + strs:
        offsets.append((len(text), data_start + len(blob)))
        blob += text + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, count, ids_table, strs_table, 0, data_start)
    table = b"".join(struct.pack("<2I", length, offset) for length, offset in offsets)
    return header + table + blob


def compile_po(po: Path, mo: Path | None = None) -> Path:
    """Write `po`'s .mo beside it (or at `mo`); the path written."""
    mo = mo or po.with_suffix(".mo")
    mo.write_bytes(mo_bytes(parse_po(po)))
    return mo


def statistics(po: Path) -> dict[str, int]:
    """Counts as `msgfmt --statistics` gives them: translated, fuzzy, untranslated (no header)."""
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for entry in parse_po(po):
        if entry.msgid == "" and entry.msgctxt is None:
            continue
        if entry.fuzzy:
            counts["fuzzy"] += 1
        elif entry.translated:
            counts["translated"] += 1
        else:
            counts["untranslated"] += 1
    return counts
