"""XLSForm import: an ``.xlsx`` form (sheets survey, choices, settings) → an instrument document and a list of
everything that could not be carried over, by sheet and row. Pure: bytes or a path in, no web and no database.

    conversion = convert_xlsform(data, "form.xlsx")   # or convert_xlsform_file(path)
    for line in conversion.lines():                    # "form.xlsx: survey row 12: relevant ... cannot be ..."
        ...
    if conversion.ok:                                  # no fatal problem, and parse_instrument accepted it
        text = instrument_yaml(conversion)             # what `surveys import-xlsform` writes

How rows are carried over (anything else is listed, never silently dropped):

| XLSForm                                              | instrument                                          |
|------------------------------------------------------|-----------------------------------------------------|
| ``select_one L``, L named or shown (appearance) as   | ``rating`` 1..n in the order written, end labels    |
| ``likert`` (2–10 options), or L's names are 1..5     | from the first and last choice; word names are      |
|                                                      | stored as points (listed)                           |
| ``select_one L``, L's names are 0..10                | ``nps``                                             |
| other ``select_one`` / ``select_multiple`` (also     | ``choice`` / ``choice`` with ``multiple: true``;    |
| ``select one from``, ``select all that apply``)      | names → values (lower-cased, listed when changed)   |
| ``… or_other``                                       | an ``other`` choice; its text box is listed         |
| ``range`` (``parameters`` start/end/step; pyxform's  | ``rating`` start..end when whole, step 1, inside    |
| defaults 1, 10, 1)                                   | 0–10 (``nps`` for 0..10); otherwise ``number`` with |
|                                                      | those limits (listed)                               |
| ``integer`` / ``decimal``                            | ``number`` (``integer: true``); ``constraint``      |
|                                                      | ``. >= a and . <= b`` → min/max                     |
| ``text`` (and ``phone number``)                      | ``text``; ``string-length(.) <= n`` → max_length    |
| ``image`` with ``--kind scorecard``                  | ``photo``                                           |
| ``note``, ``calculate``, geo, date/time, metadata…   | left out, listed                                    |
| ``begin group``/``end group``                        | a section; nested groups become sections of their   |
|                                                      | own; questions outside groups go to ``questions``   |
| ``begin repeat``/``loop``                            | a section asked once (listed)                       |
| ``required`` yes/true/true()                         | ``required: true``                                  |
| ``relevant`` ``${x} = 'a'``, ``… or ${x} = 'b'``,    | ``show_if`` equals / in / at_least / at_most; a     |
| ``selected(${x}, 'a')``, ``${x} >= 3``, ``<= 6``     | group's condition goes to each of its questions     |
| ``hint``                                             | ``help``                                            |
| settings ``form_id`` / ``form_title``                | ``id`` (slugified; ``--id`` wins) / ``title``       |

Languages: ``label::Svenska (sv)`` and ``label::English (en)`` (also ``label:English``, ``label::en``); a plain
``label`` fills the missing language; a text missing in one language is copied from the other and listed.

Fatal (nothing written): not an XLSX file, no survey sheet, missing type/name/label/list_name columns, an unknown
choice list, unbalanced begin/end rows, ``relevant`` naming the question itself, a later question or a name not in
the form, and anything ``parse_instrument`` refuses (pointed back to its survey row).
"""

from __future__ import annotations

from servicescore.definitions.xlsform.convert import Conversion, convert_xlsform, convert_xlsform_file
from servicescore.definitions.xlsform.output import instrument_yaml
from servicescore.definitions.xlsform.problems import ImportProblem

__all__ = ["Conversion", "ImportProblem", "convert_xlsform", "convert_xlsform_file", "instrument_yaml"]
