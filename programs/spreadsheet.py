"""What a spreadsheet gives us and takes from us: lines pasted from one, CSV exports it opens safely."""

import csv


def split_cells(line: str) -> list[str]:
    """One line's cells: tab-separated (pasted from a spreadsheet), else semicolons, else commas."""
    if "\t" in line:
        delimiter = "\t"
    elif ";" in line and "," not in line:
        delimiter = ";"
    else:
        delimiter = ","
    return [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter), [])]


def csv_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
