"""Excel (.xlsx) in and out, for any model: the generic half of every import and export.

An app describes its workbook as a list of `Column`s (Chinese header, model field, how to read
and write a cell) and gets from here:

- `opened_workbook(file)`: checks an upload (extension, size, really an xlsx) and opens it
  read-only, with a clear Chinese `SpreadsheetError` for whatever is wrong with the file;
- `read_rows(sheet, columns)`: rows keyed by header, in any column order, fully empty rows
  skipped, missing or repeated headers reported;
- `parse_rows(rows, columns)`: typed values per field, or a `RowError(row, column, message)`
  for every cell that cannot be read — the app validates its models the same way and raises
  `ImportRejected(errors)` so that nothing is written unless every row is good;
- `xlsx_response(filename, sheets)`: a workbook (bold frozen header, sensible widths) as a
  download with a Chinese file name.

The same columns serve import, export and the empty template, so an exported file re-imports
unchanged. Row numbers in errors are the row numbers Excel shows (the header is usually row 1).

Modules: `errors` (SpreadsheetError, RowError, ImportRejected, CellError), `upload` (the form,
the file checks, opening), `columns` (Column and its kinds, `model_column`), `reading`
(`read_rows`, `parse_rows`, `validation_errors`), `writing` (`Sheet`, workbooks, `xlsx_response`;
`xlsx_stream_response` for the large exports, sent from a temporary file in chunks).
This package only re-exports them: import from `common.spreadsheets`.
"""

from .columns import (
    NO,
    YES,
    BooleanColumn,
    ChoiceColumn,
    Column,
    DateColumn,
    DecimalColumn,
    ForeignKeyColumn,
    IntegerColumn,
    TextColumn,
    is_empty,
    model_column,
)
from .errors import CellError, ImportRejected, RowError, SpreadsheetError
from .reading import ParsedRow, SheetRow, normalize_header, parse_rows, read_rows, validation_errors
from .upload import (
    MAX_UNPACKED_RATIO,
    XLSX_CONTENT_TYPE,
    SpreadsheetUploadForm,
    check_upload,
    get_sheet,
    opened_workbook,
)
from .writing import (
    Sheet,
    build_workbook,
    content_disposition,
    instructions_sheet,
    workbook_bytes,
    xlsx_response,
    xlsx_stream_response,
)

__all__ = [
    "MAX_UNPACKED_RATIO",
    "NO",
    "XLSX_CONTENT_TYPE",
    "YES",
    "BooleanColumn",
    "CellError",
    "ChoiceColumn",
    "Column",
    "DateColumn",
    "DecimalColumn",
    "ForeignKeyColumn",
    "ImportRejected",
    "IntegerColumn",
    "ParsedRow",
    "RowError",
    "Sheet",
    "SheetRow",
    "SpreadsheetError",
    "SpreadsheetUploadForm",
    "TextColumn",
    "build_workbook",
    "check_upload",
    "content_disposition",
    "get_sheet",
    "instructions_sheet",
    "is_empty",
    "model_column",
    "normalize_header",
    "opened_workbook",
    "parse_rows",
    "read_rows",
    "validation_errors",
    "workbook_bytes",
    "xlsx_response",
    "xlsx_stream_response",
]
