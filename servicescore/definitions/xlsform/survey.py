"""The ``survey`` sheet: rows → items, ``begin group``/``end group`` → sections, every loss listed by row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from servicescore.definitions.xlsform.choices import ChoiceLists, Option, scale_of, score_of, split_na
from servicescore.definitions.xlsform.conditions import Answerable, Unsupported, reference_errors, show_if
from servicescore.definitions.xlsform.expressions import (
    parse_length_constraint,
    parse_number_constraint,
    references,
)
from servicescore.definitions.xlsform.languages import TextColumns, bilingual
from servicescore.definitions.xlsform.names import humanised, item_key
from servicescore.definitions.xlsform.problems import ImportProblem
from servicescore.definitions.xlsform.workbook import Row, Sheet

SHEET = "survey"
DEFAULT_SECTION = {"id": "questions", "title": {"sv": "Frågor", "en": "Questions"}}

_SELECT = re.compile(
    r"(?P<how>select one from|select all that apply from|select multiple from|select_one|select one|select1"
    r"|select_multiple|select all that apply)\s+(?P<list>\S+)(?P<other>\s+(?:or_other|or specify other))?"
)
_MULTIPLE = ("select all that apply", "select multiple", "select_multiple")
_TEXT = {"text", "string", "q string", "add text prompt", "phone number"}
_INTEGER = {"integer", "int", "q int", "add integer prompt"}
_DECIMAL = {"decimal", "q decimal", "add decimal prompt"}
_NOTE = {"note", "q note", "add note prompt"}
_IMAGE = {"image", "photo", "picture", "q image", "q picture", "add image prompt"}
_BEGIN = re.compile(r"begin[ _](group|repeat|loop(?: over \S+)?)")
_END = re.compile(r"end[ _](group|repeat|loop)")
_USED = {"type", "name", "required", "relevant"}
# Layout-only appearances: how a question is drawn, not what it asks; ServiceScore draws its own.
_LAYOUT = {"", "likert", "field-list", "minimal", "quick", "horizontal", "horizontal-compact", "compact", "columns",
           "columns-pack", "multiline", "rating", "no-ticks", "vertical", "list-nolabel", "label", "list"}  # fmt: skip
_YES = {"yes", "true", "true()", "1"}
_NO = {"no", "false", "false()", "0"}


@dataclass
class _Group:
    name: str
    row: int
    title: dict[str, str]
    condition: dict[str, Any] | None
    kind: str
    items: int = 0


@dataclass
class SurveyResult:
    sections: list[dict[str, Any]] = field(default_factory=list)
    rows: dict[tuple[int, int], int] = field(default_factory=dict)  # (section, item) index → survey row
    section_rows: dict[int, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # item id → the XLSForm name it came from
    groups: dict[str, str | None] = field(default_factory=dict)  # section id → its XLSForm group (None: none)


@dataclass
class SurveyReader:
    sheet: Sheet
    choices: ChoiceLists
    labels: TextColumns
    hints: TextColumns
    kind: str
    problems: list[ImportProblem]
    imported: dict[str, Answerable] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)
    everywhere: dict[str, int] = field(default_factory=dict)
    stack: list[_Group] = field(default_factory=list)
    current: dict[str, Any] | None = None
    drafts: list[tuple[dict[str, Any], int, list[int]]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str | None] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    noted_lists: set[str] = field(default_factory=set)

    def read(self) -> SurveyResult:
        for row in self.sheet.rows:
            if row.get("name") and not _END.fullmatch(_type(row)):
                self.everywhere.setdefault(row.get("name"), row.number)
        for row in self.sheet.rows:
            self._row(row)
        for group in self.stack:
            self._fatal(group.row, f"{group.kind} {group.name!r} has no matching 'end {group.kind}' row")
        return self._result()

    # -- rows ---------------------------------------------------------------------------------------------------
    def _row(self, row: Row) -> None:
        kind = _type(row)
        if not kind:
            self._problem(row.number, "a row with no type is left out (add a type or clear the row)")
            return
        if _END.fullmatch(kind):
            self._end(row, kind)
            return
        name = row.get("name")
        if not name:
            self._fatal(row.number, f"type {kind!r} has no name; every question and group needs one")
            return
        begin = _BEGIN.fullmatch(kind)
        if begin:
            self._begin(row, begin.group(1).split()[0], name)
        else:
            self._question(row, kind, name)
        self.seen.setdefault(name, row.number)

    def _begin(self, row: Row, kind: str, name: str) -> None:
        self._unused(row)
        if kind in ("repeat", "loop"):
            self._problem(
                row.number, f"{kind} {name!r} cannot be carried over; its questions became a section asked once"
            )
        title = bilingual(row, self.labels, SHEET, self.problems)
        if title is None:
            title = {"sv": humanised(name), "en": humanised(name)}
            self._problem(row.number, f"{kind} {name!r} has no label; its section is titled {humanised(name)!r}")
        if self.stack:
            self._problem(
                row.number,
                f"group {name!r} is inside group {self.stack[-1].name!r}; sections do not "
                "nest, so it became a section of its own",
            )
        condition = self._condition(row, name, "the group's questions are kept without a condition")
        self.stack.append(_Group(name, row.number, title, condition, kind))
        self.current = None

    def _end(self, row: Row, kind: str) -> None:
        if not self.stack:
            self._fatal(row.number, f"{kind!r} has no matching begin row above it")
            return
        group = self.stack.pop()
        if group.items == 0:
            self._problem(
                group.row, f"{group.kind} {group.name!r} has no question that could be carried over; it is left out"
            )
        self.current = None

    def _question(self, row: Row, kind: str, name: str) -> None:
        item = self._item(row, kind, name)
        if item is None:
            return
        text = bilingual(row, self.labels, SHEET, self.problems)
        if text is None:
            self._problem(row.number, f"question {name!r} has no label; its name is used as the text")
            text = {"sv": humanised(name), "en": humanised(name)}
        shown_answers = sorted({f"${{{ref}}}" for ref in references(" ".join(text.values()))})
        if shown_answers:
            # ODK fills ${x} in with an earlier answer; ServiceScore shows texts as written.
            self._problem(row.number, f"the label shows {', '.join(shown_answers)} as written; ServiceScore does not "
                                      "fill in earlier answers, reword it")  # fmt: skip
        item["text"] = text
        hint = bilingual(row, self.hints, SHEET, self.problems)
        if hint:
            item["help"] = hint
        if self._required(row):
            item["required"] = True
        condition = self._condition(row, name, "the item is kept without a condition")
        group = self.stack[-1] if self.stack else None
        if condition is None and group is not None and group.condition is not None:
            condition = dict(group.condition)
        elif condition is not None and group is not None and group.condition is not None:
            self._problem(
                row.number,
                f"the condition of group {group.name!r} cannot be combined with this "
                "question's own relevant; only the question's own is kept",
            )
        if condition is not None:
            item["show_if"] = condition
        self._place(_ordered(item), row.number)

    def _item(self, row: Row, kind: str, name: str) -> dict[str, Any] | None:
        select = _SELECT.fullmatch(kind)
        photo = kind in _IMAGE and self.kind == "scorecard"
        if not (select or photo or kind in _TEXT or kind in _INTEGER or kind in _DECIMAL or kind == "range"):
            self._dropped(row, kind, name)
            return None
        key = self._unique_key(row, name)
        if select:
            return self._select(row, key, name, select)
        if kind in _TEXT:
            self._unused(row, {"constraint"})
            return self._text(row, key)
        if kind == "range":
            self._unused(row, {"parameters"})
            return self._range(row, key, name)
        if photo:
            self._unused(row)
            return {"id": key, "type": "photo", "max_count": 1}
        self._unused(row, {"constraint"})
        return self._number(row, key, name, whole=kind in _INTEGER)

    def _dropped(self, row: Row, kind: str, name: str) -> None:
        if kind in _NOTE:
            label = bilingual(row, self.labels, SHEET, []) or {"en": name}
            shown = label["en"] if len(label["en"]) <= 40 else label["en"][:37] + "..."
            self._problem(row.number, f'note {name!r} ("{shown}") is not a question; it is left out')
        elif kind in _IMAGE:
            self._problem(
                row.number,
                f"image {name!r} cannot be carried over into a survey (respondents do not "
                "upload photos); the row is left out. Import with --kind scorecard to keep it",
            )
        else:
            self._problem(row.number, f"type {kind!r} ({name!r}) cannot be carried over; the row is left out")

    def _unique_key(self, row: Row, name: str) -> str:
        """An item id; pyxform allows one name in two groups, ServiceScore ids are unique in the instrument."""
        key = item_key(name)
        if key in self.keys and self.stack:
            key = f"{item_key(self.stack[-1].name)}_{key}"
        counter = 2
        while key in self.keys:
            key, counter = f"{item_key(name)}_{counter}", counter + 1
        if key != name:
            self._problem(row.number, f"name {name!r} is stored as item id {key!r}")
        self.keys.add(key)
        self.names[key] = name
        return key

    # -- item types ---------------------------------------------------------------------------------------------
    def _select(self, row: Row, key: str, name: str, select: re.Match[str]) -> dict[str, Any] | None:
        list_name = select.group("list")
        options = self.choices.lists.get(list_name)
        if options is None:
            known = f"lists: {', '.join(sorted(self.choices.lists)) or 'none'}"
            if not self.choices.sheet_present:
                known = "the workbook has no 'choices' sheet"
            self._fatal(
                row.number, f"{name!r} uses choice list {list_name!r}, which is not on the choices sheet ({known})"
            )
            return None
        if select.group("other"):
            # pyxform adds an 'other' choice and a text box shown when it is chosen; the choice is kept.
            options = [*options, Option(name="other", value="other", text={"sv": "Annat", "en": "Other"}, row=0)]
            self._problem(
                row.number,
                f"the 'other, specify' text box of {name!r} cannot be carried over; the choice 'other' is kept "
                "without it",
            )
        multiple = select.group("how").startswith(_MULTIPLE)
        appearance = row.get("appearance")
        scored, not_applicable = split_na(options)
        scale = None if multiple or select.group("other") else scale_of(scored, appearance, list_name)
        self._unused(row, {"appearance"} if scale is not None else set())
        if scale is not None:
            return self._scale(row, key, name, scored, scale=scale, na=not_applicable)
        if len(options) < 2:
            self._fatal(row.number, f"choice list {list_name!r} has {len(options)} option; a choice needs two")
            return None
        item: dict[str, Any] = {"id": key, "type": "choice"}
        if multiple:
            item["multiple"] = True
        item["choices"] = [{"value": option.value, "text": option.text} for option in options]
        self.imported[name] = Answerable(key, "choice", {option.name: option.value for option in options})
        return item

    def _scale(
        self, row: Row, key: str, name: str, options: list[Option], *, scale: tuple[int, int], na: list[Option]
    ) -> dict[str, Any]:
        scores = score_of(options, scale)
        labels = {"min": options[0].text, "max": options[-1].text}
        numeric = all(option.name == str(scores[option.name]) for option in options)
        list_name = options[0].list_name
        if not numeric and list_name not in self.noted_lists:
            # Once per list: a 40-question form on one scale needs one note, not forty.
            self.noted_lists.add(list_name)
            shown = ", ".join(f"{option.name}={scores[option.name]}" for option in options)
            self._problem(
                row.number,
                f"{name!r} and every question on list {list_name!r} became a {scale[0]}–{scale[1]} rating; answers "
                f"are stored as points ({shown})",
            )
        names = ", ".join(repr(option.name) for option in na)
        if scale == (0, 10):
            self.imported[name] = Answerable(key, "nps", scores, numeric=True, whole=True, low=0, high=10)
            if na:
                self._problem(row.number, f"choice {names} of {name!r} cannot be carried over: an NPS question has "
                                          "no 'not applicable'")  # fmt: skip
            return {"id": key, "type": "nps", "labels": labels}
        self.imported[name] = Answerable(
            key, "rating", scores, numeric=numeric, whole=True, low=scale[0], high=scale[1]
        )
        item: dict[str, Any] = {
            "id": key,
            "type": "rating",
            "scale": {"min": scale[0], "max": scale[1], "labels": labels},
        }
        if na:
            item["na_allowed"] = True
            self._problem(row.number, f"choice {names} of {name!r} became ServiceScore's 'not applicable' answer")
        return item

    def _text(self, row: Row, key: str) -> dict[str, Any]:
        item: dict[str, Any] = {"id": key, "type": "text"}
        constraint = row.get("constraint")
        if constraint:
            limit = parse_length_constraint(constraint)
            if limit is not None and 1 <= limit <= 10000:
                item["max_length"] = limit
            else:
                self._problem(
                    row.number, f'constraint "{constraint}" cannot be carried over; the answer is not limited'
                )
        return item

    def _number(self, row: Row, key: str, name: str, *, whole: bool) -> dict[str, Any]:
        item: dict[str, Any] = {"id": key, "type": "number"}
        if whole:
            item["integer"] = True
        constraint = row.get("constraint")
        if constraint:
            limits = parse_number_constraint(constraint, whole=whole)
            if limits is None:
                self._problem(
                    row.number, f'constraint "{constraint}" cannot be carried over; the answer is not limited'
                )
            else:
                for bound, value in (("min", limits.min), ("max", limits.max)):
                    if value is not None:
                        item[bound] = int(value) if value.is_integer() else value
        self.imported[name] = Answerable(
            key, "number", numeric=True, whole=whole, low=item.get("min"), high=item.get("max")
        )
        return item

    def _range(self, row: Row, key: str, name: str) -> dict[str, Any]:
        parameters = _parameters(row.get("parameters"))
        numbers: dict[str, float] = {}
        # pyxform's defaults (4.x): start 1, end 10, step 1.
        for parameter, default in (("start", 1.0), ("end", 10.0), ("step", 1.0)):
            try:
                numbers[parameter] = float(parameters.get(parameter, default))
            except ValueError:
                self._problem(
                    row.number, f"parameter {parameter}={parameters[parameter]!r} is not a number; {default:g} is used"
                )
                numbers[parameter] = default
        for parameter in sorted(set(parameters) - {"start", "end", "step"}):
            self._problem(row.number, f"parameter {parameter}={parameters[parameter]!r} cannot be carried over")
        start, end, step = numbers["start"], numbers["end"], numbers["step"]
        whole = all(value.is_integer() for value in (start, end, step))
        if whole and step == 1 and 0 <= start < end <= 10:
            low, high = int(start), int(end)
            self.imported[name] = Answerable(key, "rating", numeric=True, whole=True, low=low, high=high)
            if (low, high) == (0, 10):
                self.imported[name].kind = "nps"
                return {"id": key, "type": "nps"}
            self._problem(
                row.number,
                f"range {name!r} has no end labels; ServiceScore's default labels (Very poor "
                "… Very good) are shown, check them",
            )
            return {"id": key, "type": "rating", "scale": {"min": low, "max": high}}
        self._problem(
            row.number,
            f"range {name!r} ({start:g} to {end:g}, step {step:g}) does not fit a 0–10 "
            "rating; it became a number question with those limits",
        )
        low_value, high_value = min(start, end), max(start, end)
        self.imported[name] = Answerable(key, "number", numeric=True, whole=whole, low=low_value, high=high_value)
        item: dict[str, Any] = {"id": key, "type": "number", "min": _plain(low_value), "max": _plain(high_value)}
        if whole:
            item["integer"] = True
        return item

    # -- columns shared by every question -----------------------------------------------------------------------
    def _required(self, row: Row) -> bool:
        value = row.get("required").strip().lower()
        if value in _YES:
            return True
        if value and value not in _NO:
            self._problem(
                row.number, f'required "{row.get("required")}" cannot be carried over; the question is optional'
            )
        return False

    def _condition(self, row: Row, name: str, consequence: str) -> dict[str, Any] | None:
        expression = row.get("relevant")
        if not expression:
            return None
        errors = reference_errors(expression, name, self.seen, self.everywhere)
        for message in errors:
            self._fatal(row.number, message)
        if errors:
            return None
        try:
            return show_if(expression, self.imported)
        except Unsupported as reason:
            self._problem(row.number, f'relevant "{expression}" {reason}; {consequence}')
            return None

    def _unused(self, row: Row, handled: frozenset[str] | set[str] = frozenset()) -> None:
        """List every filled cell this row's conversion does not use (constraint messages, defaults, media…)."""
        used = _USED | set(handled) | self.labels.columns() | self.hints.columns()
        for column, value in row.cells.items():
            layout = column == "appearance" and value.strip().lower() in _LAYOUT
            if column in used or layout:
                continue
            shown = value if len(value) <= 40 else value[:37] + "..."
            self._problem(row.number, f'column {self.sheet.shown(column)!r} ("{shown}") cannot be carried over')

    # -- sections -----------------------------------------------------------------------------------------------
    def _place(self, item: dict[str, Any], number: int) -> None:
        if self.current is None:
            group = self.stack[-1] if self.stack else None
            section_id = item_key(group.name) if group else DEFAULT_SECTION["id"]
            title = group.title if group else DEFAULT_SECTION["title"]
            self.current = {"id": self._unique_section(str(section_id)), "title": title, "items": []}
            self.drafts.append((self.current, group.row if group else number, []))
            self.groups[self.current["id"]] = group.name if group else None
        self.current["items"].append(item)
        for group in self.stack:
            group.items += 1
        self.drafts[-1][2].append(number)

    def _unique_section(self, wanted: str) -> str:
        taken = {draft[0]["id"] for draft in self.drafts}
        candidate, counter = wanted, 2
        while candidate in taken:
            candidate, counter = f"{wanted}_{counter}", counter + 1
        return candidate

    def _result(self) -> SurveyResult:
        result = SurveyResult(groups=self.groups)
        placed = {item["id"] for section, _, _ in self.drafts for item in section["items"]}
        result.names = {key: name for key, name in self.names.items() if key in placed}
        for index, (section, row, item_rows) in enumerate(self.drafts):
            result.sections.append(section)
            result.section_rows[index] = row
            for position, number in enumerate(item_rows):
                result.rows[(index, position)] = number
        return result

    def _problem(self, row: int, message: str) -> None:
        self.problems.append(ImportProblem(SHEET, row, message))

    def _fatal(self, row: int, message: str) -> None:
        self.problems.append(ImportProblem(SHEET, row, message, fatal=True))


def _type(row: Row) -> str:
    return re.sub(r"\s+", " ", row.get("type").strip().lower())


def _parameters(text: str) -> dict[str, str]:
    pairs = re.findall(r"([^\s=,;]+)\s*=\s*([^\s=,;]+)", text)
    return {key.lower(): value for key, value in pairs}


_ORDER = ("id", "type", "required", "show_if", "text", "help")


def _ordered(item: dict[str, Any]) -> dict[str, Any]:
    """Keys in the order of the shipped files: what it is and when it is asked, then the wording, then details."""
    first = {key: item[key] for key in _ORDER if key in item}
    return first | {key: value for key, value in item.items() if key not in first}


def _plain(value: float) -> int | float:
    return int(value) if value.is_integer() else value
