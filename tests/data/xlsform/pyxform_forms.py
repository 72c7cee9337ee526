# ruff: noqa: E501 - the tables are copied verbatim, wide rows and all
"""XLSForms written by others, copied as Markdown tables; none was written for ServiceScore.

Sources:
- https://github.com/XLSForm/pyxform, the reference XLSForm converter's own tests (BSD 2-Clause licence,
  Copyright (c) 2012-2024 XLSForm/pyxform contributors), unchanged.
- https://github.com/XLSForm/xlsform.github.io, ``xlsform-standard.md``, the examples of the XLSForm
  documentation (by its contributors). Changes are noted beside a form: a ``survey``/``choices`` sheet cell where the
  page's table shows none, the page's ``| --- |`` rows dropped, and a yes_no list added where the page uses one
  without listing it (pyxform refuses an unknown list).

Each form names the file (and test or section) it comes from. ``generate.py`` turns these tables into the ``.xlsx``
files beside this module with pyxform's own ``md_table_to_workbook``, the helper pyxform's tests use.
"""

from __future__ import annotations

FORMS: dict[str, tuple[str, str]] = {
    "group": (
        "XLSForm/pyxform: tests/example_xls/group.md",
        """
| survey |
|        | type         | name         | label:English (en)                 |
|        | text         | family_name  | What's your family name?           |
|        | begin group  | father       | Father                             |
|        | phone number | phone_number | What's your father's phone number? |
|        | integer      | age          | How old is your father?            |
|        | end group    |              |                                    |
""",
    ),
    "specify_other": (
        "XLSForm/pyxform: tests/example_xls/specify_other.md",
        """
| survey |
| | type                                   | name | label:English     |
| | select one from sexes or specify other | sex  | What sex are you? |
| choices |
| | list name | name   | label:English |
| | sexes     | male   | Male          |
| | sexes     | female | Female        |
""",
    ),
    "yes_or_no_question": (
        "XLSForm/pyxform: tests/example_xls/yes_or_no_question.md",
        """
| survey  |
|         | type                      | name     | label:english                  |
|         | select one from yes_or_no | good_day | have you had a good day today? |
| choices |
|         | list name | name | label:english |
|         | yes_or_no | yes  | yes           |
|         | yes_or_no | no   | no            |
""",
    ),
    "text_and_integer": (
        "XLSForm/pyxform: tests/example_xls/text_and_integer.md",
        """
| survey |
| | type    | name      | label:english               |
| | text    | your_name | What is your name?          |
| | integer | your_age  | How many years old are you? |
| choices |
| | list name | name | label:english |
""",
    ),
    "loop": (
        "XLSForm/pyxform: tests/example_xls/loop.md",
        """
| survey |
| | type | name | label:english |
| | select all that apply from toilet_type or specify other | available_toilet_types | What type of toilets are on the premises? |
| | begin loop over toilet_type | loop_toilet_types |
| | integer | number | How many %(label)s are on the premises? |
| | end loop |
| choices |
| | list name | name | label:english |
| | toilet_type | pit_latrine_with_slab | Pit latrine with slab |
| | toilet_type | open_pit_latrine | Pit latrine without slab/open pit |
| | toilet_type | bucket_system | Bucket system |
""",
    ),
    "group_and_note": (
        "XLSForm/pyxform: tests/test_groups.py::TestGroupOutput::test_group_type",
        """
| survey |             |         |                  |
|        | type        | name    | label            |
|        | text        | pregrp  | Pregroup text    |
|        | begin group | xgrp    | XGroup questions |
|        | text        | xgrp_q1 | XGroup Q1        |
|        | integer     | xgrp_q2 | XGroup Q2        |
|        | end group   |         |                  |
|        | note        | postgrp | Post group note  |
""",
    ),
    "group_relevant": (
        "XLSForm/pyxform: tests/test_groups.py::TestGroupOutput::test_group_relevant_included_in_bind",
        """
| survey |
|        | type        | name | label | relevant  |
|        | integer     | q1   | Q1    |           |
|        | begin group | g1   | G1    | ${q1} = 1 |
|        | text        | q2   | Q2    |           |
|        | end group   |      |       |           |
""",
    ),
    "nested_groups": (
        "XLSForm/pyxform: tests/test_groups.py::TestGroupParsing::test_names__group_same_as_group_in_different_group_context__ok",
        """
| survey |
| | type        | name | label |
| | begin group | g1   | G1    |
| | text        | q1   | Q1    |
| | end group   |      |       |
| | begin group | g2   | G2    |
| | begin group | g1   | G1    |
| | text        | q1   | Q1    |
| | end group   |      |       |
| | text        | q2   | Q2    |
| | end group   |      |       |
""",
    ),
    "repeat": (
        "XLSForm/pyxform: tests/test_groups.py::TestGroupParsing::test_names__group_same_as_group_in_different_repeat_context__ok",
        """
| survey |
| | type         | name | label |
| | begin group  | g1   | G1    |
| | text         | q1   | Q1    |
| | end group    |      |       |
| | begin repeat | r1   | R1    |
| | begin group  | g1   | G1    |
| | text         | q1   | Q1    |
| | end group    |      |       |
| | text         | q2   | Q2    |
| | end repeat   |      |       |
""",
    ),
    "range_parameters": (
        "XLSForm/pyxform: tests/test_range.py::RangeWidgetTest::test_range_type (first form)",
        """
| survey |        |          |       |                     |
|        | type   |   name   | label | parameters          |
|        | range  |   level  | Scale | start=1 end=10 step=1 |
""",
    ),
    "range_mixed_case": (
        "XLSForm/pyxform: tests/test_range.py::RangeWidgetTest::test_range_type (second form)",
        """
| survey |        |          |       |                     |
|        | type   |   name   | label | parameters          |
|        | range  |   level  | Scale | Start=3 End=14 STEP=2 |
""",
    ),
    "range_semicolons": (
        "XLSForm/pyxform: tests/test_range.py::RangeWidgetTest::test_range_semicolon_separator",
        """
| survey |        |          |       |                       |
|        | type   |   name   | label | parameters            |
|        | range  |   level  | Scale | start=1;end=10;step=1 |
""",
    ),
    "translations_media": (
        "XLSForm/pyxform: tests/test_translations.py::TestTranslations::test_missing_media_itext",
        """
| survey |       |               |              |                |                 |          |                      |                       |
|        | name  | type          | label        | label::Russian | label::Kyrgyz   | required | media::audio::Kyrgyz | media::audio::Russian |
|        | q1    | select_one yn | A.01 Have you received informed consent from the respondent? | Получили ли вы форму согласия от респондента? | This is Kyrgyz. | true     | something.mp3        | test.mp3              |
| choices |           |      |       |                |               |
|         | list name | name | label | label::Russian | label::Kyrgyz |
|         | yn        | 0    | No    | Нет            | Нет (ky)      |
|         | yn        | 1    | Yes   | Да             | Да (ky)       |
""",
    ),
    "default_language_columns": (
        "XLSForm/pyxform: tests/test_translations.py::TestTranslations::test_missing_translation__one_lang_all_cols",
        """
| settings |                  |
|          | default_language |
|          | eng              |
| survey |               |      |       |            |            |                    |                   |                   |                   |                         |                       |
|        | type          | name | label | label::eng | hint::eng  | guidance_hint::eng | media::image::eng | media::video::eng | media::audio::eng | constraint_message::eng | required_message::eng |
|        | select_one c1 | q1   | hello | hi there   | salutation | greeting           | greeting.jpg      | greeting.mkv      | greeting.mp3      | check me                | mandatory             |
| choices |           |      |                 |
|         | list name | name | label | label::eng | media::audio::eng | media::image::eng | media::video::eng |
|         | c1        | na   | la-d  | la-e       | la-d.mp3          | la-d.jpg          | la-d.mkv          |
|         | c1        | nb   | lb-d  | lb-e       | lb-d.mp3          | lb-d.jpg          | lb-d.mkv          |
""",
    ),
    "case_insensitivity": (
        "XLSForm/pyxform: tests/example_xls/case_insensitivity.md",
        """
| SURVEY  |
|   | TYPE                   | NAME | LABEL::EN      | CHOICE_FILTER |
|   | select_one c1          | q1   | Are you good?  |               |
|   | select_one_external c1 | q2   | Where are you? | YES_NO=${q1}  |
|   | osm c1                 | q3   | Where exactly? |               |
| CHOICES |
|   | LIST_NAME | NAME | LABEL::EN  |
|   | c1        | n1-c | l1-c       |
|   | c1        | n2-c | l2-c       |
| SETTINGS |
|   | FORM_TITLE | FORM_ID | DEFAULT_LANGUAGE |
|   | Yes or no  | YesNo   | EN               |
| EXTERNAL_CHOICES |
|   | LIST_NAME | NAME | LABEL | YES_NO |
|   | c1        | n1-e | l1-e  | yes    |
|   | c1        | n2-e | l2-e  | yes    |
| ENTITIES |
|   | DATASET | LABEL |
|   | e1      | l1    |
| OSM |
|   | LIST_NAME | NAME | LABEL |
|   | c1        | n1-o | l1-o  |
|   | c1        | n2-o | l2-o  |
""",
    ),
    "docs_select_one": (
        "XLSForm/xlsform.github.io: xlsform-standard.md, Multiple choice questions (select_one)",
        """
| survey        |               |       |      |
|               | type          | name  |  label |
|               | select_one yes_no     | likes_pizza  | Do you like pizza?  |
| choices       |               |       |              |
|               |  list name    | name  |  label       |
|               |   yes_no      |  yes     |  Yes      |
|               |   yes_no      |  no      |  No       |
""",
    ),
    "docs_select_multiple": (
        "XLSForm/xlsform.github.io: xlsform-standard.md, Multiple choice questions (select_multiple)",
        """
| survey        |               |       |      |
|               | type          | name  |  label |
|               | select_multiple pizza_toppings    | favorite_toppings  | What are your favorite pizza toppings?  |
| choices       |                      |                |                 |
|               |  list name           | name           |  label          |
|               |   pizza_toppings     |  cheese        |  Cheese         |
|               |   pizza_toppings     |  pepperoni     |  Pepperoni      |
|               |   pizza_toppings     |  sausage       |  Sausage        |
""",
    ),
    "docs_relevant": (
        "XLSForm/xlsform.github.io: xlsform-standard.md, Relevant (second example; yes_no list added)",
        """
| survey        |               |       |           |       |
|               | type                  | name         |  label              |  relevant |
|               | select_one yes_no     | likes_pizza  | Do you like pizza?  |           |
|               | select_multiple pizza_toppings or_other| favorite_topping  | Favorite toppings|${likes_pizza} = 'yes'|
|      | text  | favorite_cheese | What is your favorite type of cheese? | selected(${favorite_topping}, 'cheese') |
| choices       |                      |                |                 |  |
|               |  list name           | name           |  label          |    |
|               |   pizza_toppings     |  cheese        |  Cheese         |    |
|               |   pizza_toppings     |  pepperoni     |  Pepperoni      |    |
|               |   pizza_toppings     |  sausage       |  Sausage        |    |
|               |   yes_no             |  yes           |  Yes            |    |
|               |   yes_no             |  no            |  No             |    |
""",
    ),
    "docs_constraint_message": (
        "XLSForm/xlsform.github.io: xlsform-standard.md, Constraint Message",
        """
| survey |          |       |      |       |  |
|        | type     | name  | label| constraint| constraint_message|
|        | integer  | respondent_age | Respondent's age  | . >=18  | Respondent must be 18 or older to complete the survey. |
""",
    ),
    "docs_calculation": (
        "XLSForm/xlsform.github.io: xlsform-standard.md, Calculation",
        """
| survey        |               |       |      |      |
|               | type          | name  |  label           |  calculation  |
|               | decimal       | amount  | What was the price of the meal? |   |
|               | calculate     | tip  |  |  ${amount} * 0.18 |
|               | note      | display  | 18% tip for your meal is: ${tip} |   |
""",
    ),
    "docs_required": (
        "XLSForm/xlsform.github.io: xlsform-standard.md, Required",
        """
| survey        |               |       |      |      |           |
|               | type          | name  |  label           |  constraint  | required |
|               | integer       | age   | How old are you? |  . <= 150  | yes |
""",
    ),
    "docs_languages": (
        "XLSForm/xlsform.github.io: xlsform-standard.md, Multiple Language Support",
        """
| survey        |               |       |      |      |      |
|               | type          | name  |  label::English  | label::Español  |  constraint  |
|               | integer       | age   | How old are you? |    ¿Cuántos años tienes? |. <= 150 |
""",
    ),
    "docs_hints": (
        "XLSForm/xlsform.github.io: xlsform-standard.md, Hints",
        """
| survey        |               |       |      |    |
|               | type     | name  |  label | hint |
|               | text     | name  | What is the name of this store?| Look on the signboard if the store has a signboard.|
|| geopoint | geopoint | Collect the GPS coordinates of this store.| |
""",
    ),
    "docs_nested_groups": (
        "XLSForm/xlsform.github.io: xlsform-standard.md, Nesting Groups Within Groups (yes_no list added)",
        """
| survey        |               |       |      |
|               | type          | name  |  label |
|               | begin group         | hospital |  Hospital |
|               | text          | name  | What is the name of this hospital? |
|               | begin group         | hiv_medication |  HIV Medication |
|               | select_one yes_no     | have_hiv_medication |  Does this hospital have HIV medication? |
|               | end group    |     |       |
|               | end group    |     |       |
| choices       |   list name   | name  |  label |
|               |   yes_no      |  yes  |  Yes   |
|               |   yes_no      |  no   |  No    |
""",
    ),
    "docs_skipping": (
        "XLSForm/xlsform.github.io: xlsform-standard.md, Skipping (survey sheet cell and yes_no list added)",
        """
| survey |               |       |      |     |
|        | type               | name          |  label    |   relevant    |
|        | integer            | age       | How old are you? |  |
|        | begin group        | child     | Child |  ${age} <= 5    |
|        | integer            | muac      | Record this child’s mid-upper arm circumference. |  |
|        |  select_one yes_no | mrdt      | Is the child’s rapid diagnostic test positive?  |  |
|        |  end group |      |   |  |
| choices |   list name   | name  |  label |
|         |   yes_no      |  yes  |  Yes   |
|         |   yes_no      |  no   |  No    |
""",
    ),
    "docs_pages": (
        "XLSForm/xlsform.github.io: xlsform-standard.md, Multiple webpage forms",
        """
| settings      |               |       |      |
|               | form_title    | form_id  |  style  |
|               | example title     | example_id  | pages |
| survey   |               |       |      |  |
|          | type    | name  |  label  | appearance |
|          |  begin group     | group1  |  | field-list |
|         |  text     | name  | Respondent's name |  |
|         |  integer  | age  | Respondent's age |  |
|         |  string  | address  | Respondent's address |  |
|         |  end group  |   |  |  |
""",
    ),
}
