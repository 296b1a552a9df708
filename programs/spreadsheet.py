"""What a spreadsheet gives us and takes from us: lines pasted from one, CSV exports it opens safely.

`csv_download` is the one writer of every CSV download (members, security events, the reports'
lists and exports): UTF-8 with a byte-order mark, so a spreadsheet reads accented names; every cell
through `csv_cell`; streamed, the header at once and the rows a few hundred at a time."""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

BOM = "\ufeff"
BATCH_ROWS = 500  # rows sent to the client at a time


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


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_download(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """A streamed CSV attachment: the header goes out at once, then the rows as they are read
    (`rows` may be a generator over a database cursor: never the whole file in memory)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield BOM + writer.writerow(header)  # at once, before the database is read
        batch: list[str] = []
        for row in rows:
            batch.append(writer.writerow([csv_cell(value) for value in row]))
            if len(batch) == BATCH_ROWS:  # a chunk per few hundred rows, not per row
                yield "".join(batch)
                batch = []
        if batch:
            yield "".join(batch)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
