"""Write each form of ``pyxform_forms.FORMS`` as ``<name>.xlsx`` beside this file, with pyxform's own helper.

Run ``python tests/data/xlsform/generate.py`` after editing the forms; the tests check the files are current.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pyxform.xls2json_backends import md_table_to_workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pyxform_forms import FORMS  # noqa: E402


def main() -> None:
    for name, (_, markdown) in FORMS.items():
        md_table_to_workbook(markdown).save(HERE / f"{name}.xlsx")
        print(f"wrote {name}.xlsx")


if __name__ == "__main__":
    main()
