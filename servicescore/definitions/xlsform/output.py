"""The imported instrument as YAML in the shape of the shipped ``surveys/*.yaml`` files."""

from __future__ import annotations

import textwrap

import yaml

from servicescore.definitions.xlsform.convert import Conversion


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:  # noqa: ARG002 - PyYAML's signature
        # Lists indented under their key, as in the shipped files ("items:\n  - id: ...").
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: object) -> bool:  # noqa: ARG002 - PyYAML's signature
        # A group's condition is shared by its questions; written out in full, not as &id001/*id001.
        return True


def instrument_yaml(conversion: Conversion) -> str:
    """YAML text of a successful conversion, headed by comments listing what was not carried over."""
    if conversion.document is None:
        raise ValueError("the conversion has no document; show conversion.lines() instead")
    header = [f"# Imported from {conversion.source} by `servicescore surveys import-xlsform`."]
    if conversion.problems:
        header.append("# Check these notes from the import, then delete them:")
        for line in conversion.lines():
            wrapped = textwrap.wrap(line, width=114, subsequent_indent="    ", break_on_hyphens=False)
            header += [f"#   {part}" for part in wrapped]
    body = yaml.dump(
        conversion.document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False
    )
    return "\n".join(header) + "\n" + body
