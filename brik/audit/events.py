"""Every kind of step Brik writes to the action log, by name.

The names are stored as they are (``brik.case.referred``) and never change: an
auditor's search and the chain of hashes depend on them. Add a member here
before writing a new kind of step; ``log_action`` refuses names not listed.
"""

from django.db import models


class AuditEvent(models.TextChoices):
    # access notice
    ACCESS_NOTICE_ACKNOWLEDGED = "brik.access_notice.acknowledged"
    # action plan
    ACTION_PLAN_ADDED = "brik.action_plan.added"
    ACTION_PLAN_CHANGED = "brik.action_plan.changed"
    ACTION_PLAN_CREATED = "brik.action_plan.created"
    ACTION_PLAN_DELETED = "brik.action_plan.deleted"
    # admin
    ADMIN_ADDED = "brik.admin.added"
    ADMIN_CHANGED = "brik.admin.changed"
    ADMIN_DELETED = "brik.admin.deleted"
    ADMIN_HISTORY_VIEWED = "brik.admin.history_viewed"
    ADMIN_LISTED = "brik.admin.listed"
    ADMIN_VIEWED = "brik.admin.viewed"
    # API tokens (brik.api)
    API_TOKEN_CREATED = "brik.api.token_created"  # noqa: S105 (an event name)
    API_TOKEN_REVOKED = "brik.api.token_revoked"  # noqa: S105 (an event name)
    # attachment (brik.casefiles)
    ATTACHMENT_DELETED = "brik.attachment.deleted"
    ATTACHMENT_DOWNLOADED = "brik.attachment.downloaded"
    ATTACHMENT_UPLOADED = "brik.attachment.uploaded"
    # assessment
    ASSESSMENT_DECIDED = "brik.assessment.decided"
    # audit
    AUDIT_REDACTED = "brik.audit.redacted"
    AUDIT_SEARCHED = "brik.audit.searched"
    # backup
    BACKUP_CREATED = "brik.backup.created"
    BACKUP_RESTORED = "brik.backup.restored"
    # case
    CASE_AMENDED = "brik.case.amended"
    CASE_ASSIGNED = "brik.case.assigned"
    CASE_CLOSED = "brik.case.closed"
    CASE_REFERRED = "brik.case.referred"
    CASE_REOPENED = "brik.case.reopened"
    CASE_SCREENED = "brik.case.screened"
    CASE_STAYING = "brik.case.staying"
    CASE_VIEWED = "brik.case.viewed"
    # The case page's check for earlier records of the person (other persons' codes shown).
    CASE_DUPLICATES_CHECKED = "brik.case.duplicates_checked"
    # A partner's list of referrals showed the person's initials (consent to share).
    REFERRAL_INITIALS_VIEWED = "brik.referral.initials_viewed"
    # focus area
    FOCUS_AREA_ADDED = "brik.focus_area.added"
    FOCUS_AREA_CHANGED = "brik.focus_area.changed"
    FOCUS_AREA_DELETED = "brik.focus_area.deleted"
    # followup
    FOLLOWUP_ADDED = "brik.followup.added"
    # indicator
    INDICATOR_MEASURED = "brik.indicator.measured"
    # initiative
    INITIATIVE_ADDED = "brik.initiative.added"
    INITIATIVE_CHANGED = "brik.initiative.changed"
    INITIATIVE_DELETED = "brik.initiative.deleted"
    INITIATIVE_STATUS_CHANGED = "brik.initiative.status_changed"
    # interview
    INTERVIEW_CANCELLED = "brik.interview.cancelled"
    INTERVIEW_PLANNED = "brik.interview.planned"
    INTERVIEW_RECORDED = "brik.interview.recorded"
    # joint action
    JOINT_ACTION_CANCELLED = "brik.joint_action.cancelled"
    JOINT_ACTION_HELD = "brik.joint_action.held"
    JOINT_ACTION_PLANNED = "brik.joint_action.planned"
    JOINT_ACTION_REFERRAL_LINKED = "brik.joint_action.referral_linked"
    JOINT_ACTION_REFERRAL_UNLINKED = "brik.joint_action.referral_unlinked"
    # keys
    KEYS_REINDEXED = "brik.keys.reindexed"
    KEYS_ROTATED = "brik.keys.rotated"
    # milestone
    MILESTONE_ADDED = "brik.milestone.added"
    MILESTONE_CHANGED = "brik.milestone.changed"
    MILESTONE_DELETED = "brik.milestone.deleted"
    MILESTONE_REACHED = "brik.milestone.reached"
    # note (brik.casefiles: case notes)
    NOTE_ADDED = "brik.note.added"
    NOTE_CORRECTED = "brik.note.corrected"
    NOTE_EDITED = "brik.note.edited"
    NOTE_READ = "brik.note.read"
    # organisation
    ORGANISATION_CHANGED = "brik.organisation.changed"
    ORGANISATION_CREATED = "brik.organisation.created"
    # outreach log
    OUTREACH_LOG_ADDED = "brik.outreach_log.added"
    OUTREACH_LOG_CORRECTED = "brik.outreach_log.corrected"
    # person
    PERSON_SUBJECT_ACCESS_EXPORTED = "brik.person.subject_access_exported"
    # brik.search: a search for persons (what was searched for, never the text),
    # and the search tokens rebuilt
    PERSON_SEARCHED = "brik.person.searched"
    SEARCH_REINDEXED = "brik.search.reindexed"
    # plan indicator
    PLAN_INDICATOR_ADDED = "brik.plan_indicator.added"
    PLAN_INDICATOR_CHANGED = "brik.plan_indicator.changed"
    PLAN_INDICATOR_DELETED = "brik.plan_indicator.deleted"
    # prosecution
    PROSECUTION_CHARGED = "brik.prosecution.charged"
    PROSECUTION_DROPPED = "brik.prosecution.dropped"
    PROSECUTION_OPENED = "brik.prosecution.opened"
    PROSECUTION_VERDICT_RECORDED = "brik.prosecution.verdict_recorded"
    PROSECUTION_VICTIM_LINKED = "brik.prosecution.victim_linked"
    PROSECUTION_VICTIM_UNLINKED = "brik.prosecution.victim_unlinked"
    # reflection
    REFLECTION_EXTENDED = "brik.reflection.extended"
    REFLECTION_STARTED = "brik.reflection.started"
    # report
    REPORT_PUBLISHED = "brik.report.published"
    REPORT_SUBSCRIBERS_TOLD = "brik.report.subscribers_told"
    # retention
    RETENTION_BACKUPS_DELETED = "brik.retention.backups_deleted"
    RETENTION_IDENTITY_DROPPED = "brik.retention.identity_dropped"
    RETENTION_NARRATIVES_DROPPED = "brik.retention.narratives_dropped"
    # return
    RETURN_ACCEPTED = "brik.return.accepted"
    RETURN_DECLINED = "brik.return.declined"
    RETURN_DEPARTED = "brik.return.departed"
    RETURN_OFFERED = "brik.return.offered"
    # statistics
    STATISTICS_DOWNLOADED = "brik.statistics.downloaded"
    STATISTICS_FOREWORD_SAVED = "brik.statistics.foreword_saved"
    STATISTICS_VIEWED = "brik.statistics.viewed"
    # subscription
    SUBSCRIPTION_CANCELLED = "brik.subscription.cancelled"
    SUBSCRIPTION_CONFIRMED = "brik.subscription.confirmed"
    SUBSCRIPTION_REQUESTED = "brik.subscription.requested"
    # support
    SUPPORT_ADDED = "brik.support.added"
    SUPPORT_ENDED = "brik.support.ended"
    # user
    USER_ACCESS_CHANGED = "brik.user.access_changed"
    USER_CHANGED = "brik.user.changed"
    USER_CREATED = "brik.user.created"
    USER_DIGEST_PREFERENCE_CHANGED = "brik.user.digest_preference_changed"
    USER_DIGEST_SENT = "brik.user.digest_sent"
    USER_NOTIFICATIONS_READ = "brik.user.notifications_read"
    USER_IDENTITY_ACCESS_GIVEN = "brik.user.identity_access_given"
    USER_LOCKOUT_CLEARED = "brik.user.lockout_cleared"
    USER_LOGGED_IN = "brik.user.logged_in"
    USER_LOGGED_OUT = "brik.user.logged_out"
    USER_LOGIN_FAILED = "brik.user.login_failed"
    USER_PASSWORD_SET = "brik.user.password_set"  # noqa: S105 (an event name)
    USER_RECOVERY_CODES_MADE = "brik.user.recovery_codes_made"
    USER_SECOND_FACTOR_CONFIRMED = "brik.user.second_factor_confirmed"
    USER_SECOND_FACTOR_REFUSED = "brik.user.second_factor_refused"
    USER_TWO_FACTOR_ENROLLED = "brik.user.two_factor_enrolled"
    USER_TWO_FACTOR_FAILED = "brik.user.two_factor_failed"
    USER_TWO_FACTOR_PASSED = "brik.user.two_factor_passed"
    USER_TWO_FACTOR_RESET = "brik.user.two_factor_reset"
    # exchange (brik.exchange: imports of CTDC/HTCDS files, exports)
    EXCHANGE_EXPORTED = "brik.exchange.exported"
    EXCHANGE_IMPORTED = "brik.exchange.imported"
    EXCHANGE_EXPORT_DOWNLOADED = "brik.exchange.export_downloaded"
    EXCHANGE_SYNTHETIC_MADE = "brik.exchange.synthetic_made"
    EXCHANGE_SYNTHETIC_PUBLISHED = "brik.exchange.synthetic_published"


# Rows that record a read or an export, not a change of a record.
READ_EVENTS = frozenset(
    {
        AuditEvent.ADMIN_HISTORY_VIEWED,
        AuditEvent.ADMIN_LISTED,
        AuditEvent.ADMIN_VIEWED,
        AuditEvent.ATTACHMENT_DOWNLOADED,
        AuditEvent.AUDIT_SEARCHED,
        AuditEvent.CASE_VIEWED,
        AuditEvent.CASE_DUPLICATES_CHECKED,
        AuditEvent.REFERRAL_INITIALS_VIEWED,
        AuditEvent.EXCHANGE_EXPORTED,
        AuditEvent.NOTE_READ,
        AuditEvent.PERSON_SEARCHED,
        AuditEvent.EXCHANGE_EXPORT_DOWNLOADED,
        AuditEvent.PERSON_SUBJECT_ACCESS_EXPORTED,
        AuditEvent.STATISTICS_DOWNLOADED,
        AuditEvent.STATISTICS_VIEWED,
    }
)
# READ_EVENTS' values in a fixed order: the SQL that leaves the reads out of a case's
# rows (brik.audit.selectors.case_change_rows) is the same in every process, and it is
# the condition of the index that serves it (ActionLog's "actionlog_case_changes"),
# which SQLite uses only for a query with that very condition.
READ_EVENT_VALUES = tuple(sorted(str(event) for event in READ_EVENTS))
