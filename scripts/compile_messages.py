"""Compile the .po catalogues into .mo with Babel, so no system gettext is needed to run."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

root = Path(__file__).resolve().parent.parent / "src" / "deepdive" / "locale"
for po_path in sorted(root.glob("*/LC_MESSAGES/*.po")):
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=po_path.parts[-3])
    with po_path.with_suffix(".mo").open("wb") as mo_file:
        write_mo(mo_file, catalog, use_fuzzy=False)
