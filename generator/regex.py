"""`pattern` as JSON Schema 2020-12 defines it: an ECMA-262 regular expression (Unicode mode).

The validators run patterns on linear-time engines, so that no pattern and no payload can
make them hang (`^(a+)+$` against "aaaa...!"): jsonschema-rs (the Python client, `serve` and
the schema package) on Rust's regex crate, the TypeScript client on RE2 (re2js). Both lack the two
ECMA-262 features that need backtracking, lookaround and backreferences, so a schema may not
use them; everything else is accepted.

The TypeScript runtime needs each pattern in RE2's syntax, whose escapes mean other things:
RE2's `\\s` is ASCII whitespace and its `.` matches a carriage return, ECMA-262's are wider
and narrower. `translate` parses the ECMA-262 source and writes the same language in RE2
syntax, spelling every class out as code point ranges.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_CODE_POINT = 0x10FFFF
# RE2 refuses larger counted repetitions.
MAX_REPEAT = 1000

_DIGITS = ((0x30, 0x39),)
_WORD = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
_SPACE = (
    (0x09, 0x0D),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
)
_LINE_TERMINATORS = ((0x0A, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029))
_CONTROL_ESCAPES = {"f": 0x0C, "n": 0x0A, "r": 0x0D, "t": 0x09, "v": 0x0B}
_SYNTAX = set("^$\\.*+?()[]{}|/")

# ECMA-262's long General_Category names, as RE2 spells them.
_CATEGORIES = {
    "Letter": "L",
    "Cased_Letter": "LC",
    "Uppercase_Letter": "Lu",
    "Lowercase_Letter": "Ll",
    "Titlecase_Letter": "Lt",
    "Modifier_Letter": "Lm",
    "Other_Letter": "Lo",
    "Mark": "M",
    "Combining_Mark": "M",
    "Nonspacing_Mark": "Mn",
    "Spacing_Mark": "Mc",
    "Enclosing_Mark": "Me",
    "Number": "N",
    "Decimal_Number": "Nd",
    "digit": "Nd",
    "Letter_Number": "Nl",
    "Other_Number": "No",
    "Punctuation": "P",
    "punct": "P",
    "Connector_Punctuation": "Pc",
    "Dash_Punctuation": "Pd",
    "Open_Punctuation": "Ps",
    "Close_Punctuation": "Pe",
    "Initial_Punctuation": "Pi",
    "Final_Punctuation": "Pf",
    "Other_Punctuation": "Po",
    "Symbol": "S",
    "Math_Symbol": "Sm",
    "Currency_Symbol": "Sc",
    "Modifier_Symbol": "Sk",
    "Other_Symbol": "So",
    "Separator": "Z",
    "Space_Separator": "Zs",
    "Line_Separator": "Zl",
    "Paragraph_Separator": "Zp",
    "Other": "C",
    "Control": "Cc",
    "cntrl": "Cc",
    "Format": "Cf",
    "Surrogate": "Cs",
    "Private_Use": "Co",
    "Unassigned": "Cn",
}
_SHORT_CATEGORIES = set(_CATEGORIES.values()) - {"LC", "Cn"}


class PatternError(ValueError):
    """The pattern is not ECMA-262, or uses what a linear-time engine cannot run."""


def problem(pattern: str) -> str | None:
    """Why a schema may not use this pattern, or None when every validator runs it alike."""
    try:
        translate(pattern)
    except PatternError as exc:
        return str(exc)
    return None


def translate(pattern: str) -> str:
    """The ECMA-262 (Unicode mode) pattern in RE2 syntax, matching the same strings."""
    parser = _Parser(pattern)
    out = parser.disjunction()
    if parser.pos != len(parser.src):
        raise PatternError(f"unexpected {parser.src[parser.pos]!r} at offset {parser.pos}")
    return out


@dataclass(frozen=True)
class _Class:
    """A set of code points: ranges, or RE2 property items like \\p{L} (kept as text)."""

    ranges: tuple[tuple[int, int], ...] = ()
    properties: tuple[str, ...] = ()


def _complement(ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    start = 0
    for lo, hi in sorted(ranges):
        if lo > start:
            out.append((start, lo - 1))
        start = max(start, hi + 1)
    if start <= MAX_CODE_POINT:
        out.append((start, MAX_CODE_POINT))
    return tuple(out)


def _char(cp: int) -> str:
    if chr(cp).isascii() and (chr(cp).isalnum() or chr(cp) in " _"):
        return chr(cp)
    return f"\\x{{{cp:X}}}"


def _class_text(cls: _Class, negate: bool = False) -> str:
    if not cls.ranges and not cls.properties:
        # Matches nothing ([]), or anything ([^]).
        return "(?s:.)" if negate else "[^\\x{0}-\\x{10FFFF}]"
    parts = [_char(lo) if lo == hi else f"{_char(lo)}-{_char(hi)}" for lo, hi in cls.ranges]
    return "[" + ("^" if negate else "") + "".join(parts) + "".join(cls.properties) + "]"


class _Parser:
    def __init__(self, src: str) -> None:
        self.src = src
        self.pos = 0

    def peek(self, offset: int = 0) -> str:
        i = self.pos + offset
        return self.src[i] if i < len(self.src) else ""

    def fail(self, what: str) -> PatternError:
        return PatternError(f"{what} at offset {self.pos}")

    def disjunction(self) -> str:
        alternatives = [self.alternative()]
        while self.peek() == "|":
            self.pos += 1
            alternatives.append(self.alternative())
        return "|".join(alternatives)

    def alternative(self) -> str:
        out: list[str] = []
        while self.pos < len(self.src) and self.peek() not in "|)":
            out.append(self.term())
        return "".join(out)

    def term(self) -> str:
        c = self.peek()
        if c in "^$":
            self.pos += 1
            self.no_quantifier()
            return c
        if c == "\\" and self.peek(1) in ("b", "B"):
            self.pos += 2
            self.no_quantifier()
            return "\\" + self.src[self.pos - 1]
        if self.src.startswith(("(?=", "(?!", "(?<=", "(?<!"), self.pos):
            raise self.fail(
                "lookaround assertions are not supported (the validators use linear-time "
                "regex engines)"
            )
        atom = self.atom()
        return atom + self.quantifier()

    def no_quantifier(self) -> None:
        if self.peek() in ("*", "+", "?") or (self.peek() == "{" and self.counted() is not None):
            raise self.fail("nothing to repeat")

    def counted(self) -> tuple[int, int | None, int] | None:
        """(min, max, length) of a `{n}`, `{n,}` or `{n,m}` at the position, else None."""
        src, i = self.src, self.pos + 1
        j = i
        while j < len(src) and src[j].isdigit():
            j += 1
        if j == i:
            return None
        low = int(src[i:j])
        if j < len(src) and src[j] == "}":
            return low, low, j + 1 - self.pos
        if j >= len(src) or src[j] != ",":
            return None
        k = j + 1
        while k < len(src) and src[k].isdigit():
            k += 1
        if k >= len(src) or src[k] != "}":
            return None
        high = int(src[j + 1 : k]) if k > j + 1 else None
        return low, high, k + 1 - self.pos

    def quantifier(self) -> str:
        c = self.peek()
        if c in ("*", "+", "?"):
            self.pos += 1
            out = c
        elif c == "{":
            count = self.counted()
            if count is None:
                raise self.fail("a lone '{' must be escaped")
            low, high, length = count
            if high is not None and high < low:
                raise self.fail("numbers out of order in {} quantifier")
            if low > MAX_REPEAT or (high or 0) > MAX_REPEAT:
                raise self.fail(f"repetition counts above {MAX_REPEAT} are not supported")
            out = self.src[self.pos : self.pos + length]
            self.pos += length
        else:
            return ""
        if self.peek() == "?":
            self.pos += 1
            out += "?"
        return out

    def atom(self) -> str:
        c = self.peek()
        if c == "(":
            return self.group()
        if c == "[":
            return self.char_class()
        if c == ".":
            self.pos += 1
            return _class_text(_Class(_LINE_TERMINATORS), negate=True)
        if c == "\\":
            self.pos += 1
            item = self.escape(in_class=False)
            return item if isinstance(item, str) else _class_text(item)
        if c in ("*", "+", "?"):
            raise self.fail("nothing to repeat")
        if c in ")]{}":
            raise self.fail(f"a lone {c!r} must be escaped")
        cp = self.code_point()
        return _class_text(_Class(((cp, cp),))) if cp > 0x7F else _literal(cp)

    def code_point(self) -> int:
        cp = ord(self.src[self.pos])
        self.pos += 1
        return cp

    def group(self) -> str:
        self.pos += 1
        if self.src.startswith("?:", self.pos):
            self.pos += 2
        elif self.src.startswith("?<", self.pos):
            end = self.src.find(">", self.pos)
            name = self.src[self.pos + 2 : end] if end != -1 else ""
            if not name or not (name[0].isalpha() or name[0] in "_$"):
                raise self.fail("invalid group name")
            self.pos = end + 1
        elif self.peek() == "?":
            raise self.fail("invalid group")
        inner = self.disjunction()
        if self.peek() != ")":
            raise self.fail("missing ')'")
        self.pos += 1
        return f"(?:{inner})"

    def escape(self, in_class: bool) -> str | _Class:
        """After a backslash: a class (\\d, \\p{L}, ...), or one literal character as text
        (outside classes) / a one-code-point class (inside)."""
        c = self.peek()
        if not c:
            raise self.fail("\\ at end of pattern")
        self.pos += 1
        if c in "dDwWsS":
            base = {"d": _DIGITS, "w": _WORD, "s": _SPACE}[c.lower()]
            return _Class(base if c.islower() else _complement(base))
        if c in "pP":
            return _Class(properties=(self.property(negated=c == "P"),))
        if c.isdigit() and c != "0":
            raise self.fail("backreferences are not supported (linear-time regex engines)")
        if c == "k":
            raise self.fail("backreferences are not supported (linear-time regex engines)")
        cp = self.char_escape(c, in_class)
        return _Class(((cp, cp),)) if in_class else _literal(cp)

    def char_escape(self, c: str, in_class: bool) -> int:
        if c in _CONTROL_ESCAPES:
            return _CONTROL_ESCAPES[c]
        if c == "c":
            letter = self.peek()
            if not ("a" <= letter.lower() <= "z"):
                raise self.fail("invalid \\c escape")
            self.pos += 1
            return ord(letter) % 32
        if c == "0":
            if self.peek().isdigit():
                raise self.fail("octal escapes are not allowed")
            return 0
        if c == "x":
            return self.hex_digits(2)
        if c == "u":
            return self.unicode_escape()
        if c in _SYNTAX or (in_class and c == "-"):
            return ord(c)
        if in_class and c == "b":
            return 0x08
        raise self.fail(f"invalid escape \\{c}")

    def hex_digits(self, count: int) -> int:
        text = self.src[self.pos : self.pos + count]
        if len(text) != count or any(ch not in "0123456789abcdefABCDEF" for ch in text):
            raise self.fail("invalid hexadecimal escape")
        self.pos += count
        return int(text, 16)

    def unicode_escape(self) -> int:
        if self.peek() == "{":
            end = self.src.find("}", self.pos)
            text = self.src[self.pos + 1 : end] if end != -1 else ""
            if not text or any(ch not in "0123456789abcdefABCDEF" for ch in text):
                raise self.fail("invalid \\u{...} escape")
            cp = int(text, 16)
            if cp > MAX_CODE_POINT:
                raise self.fail("code point out of range")
            self.pos = end + 1
        else:
            cp = self.hex_digits(4)
            if 0xD800 <= cp <= 0xDBFF and self.src.startswith("\\u", self.pos):
                save = self.pos
                self.pos += 2
                low = self.hex_digits(4)
                if 0xDC00 <= low <= 0xDFFF:
                    return 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00)
                self.pos = save
        if 0xD800 <= cp <= 0xDFFF:
            raise self.fail("lone surrogates are not supported")
        return cp

    def property(self, negated: bool) -> str:
        if self.peek() != "{":
            raise self.fail("\\p needs {name}")
        end = self.src.find("}", self.pos)
        if end == -1:
            raise self.fail("missing '}' in \\p{...}")
        body = self.src[self.pos + 1 : end]
        self.pos = end + 1
        name, _, value = body.partition("=")
        if value:
            if name in ("General_Category", "gc"):
                name = value
            elif name in ("Script", "sc"):
                if not value.replace("_", "").isalnum():
                    raise self.fail(f"invalid script {value!r}")
                return ("\\P" if negated else "\\p") + "{" + value + "}"
            else:
                raise self.fail(f"\\p{{{body}}}: only General_Category and Script are supported")
        short = _CATEGORIES.get(name, name)
        if short == "LC":
            items = "Lu}\\p{Ll}\\p{Lt"
        elif short in _SHORT_CATEGORIES:
            items = short
        elif short == "Any":
            items = "Any"
        else:
            raise self.fail(
                f"\\p{{{body}}}: only General_Category values (L, Letter, Nd, ...) and "
                "Script=... are supported"
            )
        if negated and short == "LC":
            raise self.fail("\\P{Cased_Letter} is not supported")
        return ("\\P" if negated else "\\p") + "{" + items + "}"

    def char_class(self) -> str:
        self.pos += 1
        negate = self.peek() == "^"
        if negate:
            self.pos += 1
        ranges: list[tuple[int, int]] = []
        properties: list[str] = []
        while self.peek() != "]":
            if not self.peek():
                raise self.fail("missing ']'")
            first = self.class_atom()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.pos += 1
                second = self.class_atom()
                if not (isinstance(first, int) and isinstance(second, int)):
                    raise self.fail("a class escape cannot bound a range")
                if second < first:
                    raise self.fail("range out of order in character class")
                ranges.append((first, second))
            elif isinstance(first, int):
                ranges.append((first, first))
            else:
                ranges.extend(first.ranges)
                properties.extend(first.properties)
        self.pos += 1
        return _class_text(_Class(_merge(ranges), tuple(properties)), negate=negate)

    def class_atom(self) -> int | _Class:
        if self.peek() == "\\":
            self.pos += 1
            item = self.escape(in_class=True)
            assert isinstance(item, _Class)
            single = len(item.ranges) == 1 and item.ranges[0][0] == item.ranges[0][1]
            return item.ranges[0][0] if single and not item.properties else item
        return self.code_point()


def _merge(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return tuple(out)


def _literal(cp: int) -> str:
    ch = chr(cp)
    if ch in "\\.+*?()|[]{}^$":
        return "\\" + ch
    return _char(cp)
