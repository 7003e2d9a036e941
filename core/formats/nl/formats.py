"""Dutch formats, one per kind of value, used by every page and document (settings.FORMAT_MODULE_PATH)."""

DATE_FORMAT = "j F Y"  # 4 december 2026
SHORT_DATE_FORMAT = "j b Y"  # 4 dec 2026 (tables; "b": Dutch writes month abbreviations in lower case, "M" title-cases)
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "j b Y H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
