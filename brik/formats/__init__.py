"""Date and number formats that differ from Django's defaults for a language.

English in Brik is read in Denmark: dates day-first as in British English,
not the United States' month-first.
"""
