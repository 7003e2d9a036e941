"""English formats (British order, as the authority writes English), one per kind of value (FORMAT_MODULE_PATH)."""

DATE_FORMAT = "j F Y"  # 4 December 2026
SHORT_DATE_FORMAT = "j M Y"  # 4 Dec 2026 (tables)
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
