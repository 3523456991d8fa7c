"""Export formats: ClaimReview JSON-LD and CSV, rendered from serializer data."""

import csv
import io

from rest_framework.renderers import BaseRenderer, JSONRenderer

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class CSVRenderer(BaseRenderer):
    """A list of flat dicts as CSV, one row each, with a header row even for an empty list.

    The header comes from the view's serializer fields, so it does not depend on the data.
    A cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice
    against CSV injection). An error response (a dict) becomes ``field,error`` rows.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict):
            rows = [["field", "error"]]
            for field, errors in data.items():
                for error in errors if isinstance(errors, list) else [errors]:
                    rows.append([field, spreadsheet_cell(error)])
            return csv_text(rows).encode(self.charset)
        view = (renderer_context or {}).get("view")
        header = list(view.get_serializer().fields) if view else list(data[0] if data else [])
        return (csv_text([header]) + csv_text(csv_rows(data, header))).encode(self.charset)


def csv_text(rows):
    """Rows (lists of cells) as CSV text: the renderer's and the streamed exports' one way of
    writing it (``claims.api.exports``)."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def csv_rows(data, header):
    """Serialized rows (dicts) as lists of cells in ``header``'s order, each made safe for
    spreadsheets."""
    return [[spreadsheet_cell(row.get(name)) for name in header] for row in data]


def spreadsheet_cell(value):
    if value is None:
        return ""
    value = str(value)
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value
