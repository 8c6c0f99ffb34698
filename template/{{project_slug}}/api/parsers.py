"""Request body parsers that answer 400, never 500, to JSON a client controls.

DRF's JSONParser turns `ValueError` into a 400 but lets two valid JSON inputs
through as server errors: nesting deeper than Python's recursion limit
(`RecursionError` while decoding), and lone surrogates (`"\\ud800"`, a valid
escape that no UTF-8 text can hold, so every cache key, log line or database
query made from it fails later). No maintained parser refuses both, so this one
does.
"""

import json

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            # Strings with lone surrogates cannot be encoded: find them once, here.
            json.dumps(data, ensure_ascii=False).encode()
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None
        except UnicodeEncodeError:
            raise ParseError("JSON parse error - a string holds a lone surrogate.") from None
        return data
