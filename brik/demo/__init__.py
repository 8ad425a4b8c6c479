"""Synthetic demo data: `brik demo`, or brik.demo.generator.generate() from code and tests.

calibration.py  the published figures per decision year, and how they scale
reference.py    organisations, demo logins, countries (fixed)
planning.py     the cases as light slots: who, when, which way (seeded random)
referrals.py    who referred each case, through which channel; contact persons
history.py      each case's steps, played as brik.cases.services would play them
cooperation.py  joint actions, NGO outreach, prosecutions, the 6th action plan
records.py      unsaved rows and action-log entries
writer.py       fast bulk writing with precomputed primary keys
processes.py    the rows made in a second process while this one writes them
generator.py    the whole run: generate(), flush(), foreign_records()
sheet.py        the login sheet: the demo logins' keys and codes, in a 0600 file
models.py       DemoRecord: the mark on every record the demo made
"""
