"""Case notes and attachments are not in the admin on purpose: they are read only on
the case page, where every read is logged (brik.casefiles.page)."""
