"""The statistics of the annual report, computed in the database.

Every table selector takes the years to show (one year, two for "this year and
the year before", or a whole range) and returns a Table. Each runs one GROUP BY
query; the totals that several tables share (persons screened and identified
per year) come from `decision_totals`, which the report runs once and passes on.

The package is split by concern; callers import from here
(`from brik.statistics import selectors`):
- counting: the queries, the categories they count in, the shared totals and series;
- labels: row labels and the notes under the tables (the counting rule);
- specs: how counts become a Table (the table specifications);
- identified, exploitation, referrals, support, cooperation, eurostat: the report's
  tables, by section;
- published: the published reports and their files.

The counting rule (the centre's, stated under every table):
- a person is counted in the year of the decision: identified in the year of the
  positive assessment (Case.decided_on and Case.outcome), screened in the year
  of any assessment;
- a person assessed as identified in two different years counts in each year;
  twice in the same year, once;
- a person with several forms of exploitation (or citizenships, sectors...)
  counts once in the total and once under each form.
"""

from brik.statistics.selectors.cooperation import (
    action_plan_progress,
    joint_actions,
    outreach_contacts,
    prosecutions,
)
from brik.statistics.selectors.counting import (
    ADULT,
    ADULT_BANDS,
    AGE_BANDS,
    AGE_GROUPS,
    CHILD,
    CHILD_BANDS,
    EUROSTAT_FORM_GROUPS,
    EUROSTAT_SEX,
    LABOUR_OR_CRIMINAL_FORMS,
    OTHER_EU,
    OTHER_NON_EU,
    UNKNOWN,
    DecisionTotals,
    age_group_bands,
    citizenship_group_expression,
    decided_cases,
    decision_totals,
    departed_returns,
    eurostat_forms,
    grouped_counts,
    identified_cases,
    identified_series,
    identified_series_until,
    identified_with_age,
    identified_with_age_group,
    person_count,
    presumed_cases,
    returns_series,
    returns_series_until,
    sex_key,
    totals_or_query,
    year_list,
)
from brik.statistics.selectors.eurostat import (
    eurostat_by_sex_and_age,
    eurostat_by_sex_and_citizenship,
    eurostat_by_sex_and_form,
    eurostat_rates,
    eurostat_slug,
    eurostat_victims,
    population_of,
    presumed_counts,
    rate_tenths,
)
from brik.statistics.selectors.exploitation import (
    OTHER_COUNTRIES,
    exploitation_countries,
    identified_by_citizenship_and_gender,
    identified_by_country_of_exploitation,
    identified_by_means_of_control,
    identified_by_sexual_exploitation_type,
)
from brik.statistics.selectors.identified import (
    days_to_decision,
    decision_rate,
    identified_age_summary,
    identified_by_age_band,
    identified_by_age_group,
    identified_by_authority,
    identified_by_citizenship,
    identified_by_citizenship_group,
    identified_by_eurostat_form,
    identified_by_form,
    identified_by_form_and_gender,
    identified_by_gender,
    identified_by_majority,
    identified_by_referrer_type,
    identified_by_sector,
    nationality_counts,
    referrals_by_referrer_type,
    screening,
)
from brik.statistics.selectors.labels import (
    age_label,
    age_note,
    citizenship_group_label,
    counting_rule,
    eurostat_form_label,
    joined_note,
    multi_note,
    returns_note,
    sex_label,
)
from brik.statistics.selectors.published import (
    foreword_of,
    historical_series,
    published_file,
    published_release,
    published_reports,
    release_document,
)
from brik.statistics.selectors.referrals import (
    decided_by_referrer_type,
    identification_rate_by_referrer,
    referral_region,
    referrals_by_region,
)
from brik.statistics.selectors.specs import (
    cross_table,
    series_table,
    years_table,
)
from brik.statistics.selectors.support import (
    acceptance_share,
    closing_reasons,
    follow_up_outcomes,
    reflection_extensions,
    reflection_periods,
    return_uptake,
    returns_by_destination,
    stay_basis,
    support_by_type,
)

__all__ = [
    "ADULT",
    "ADULT_BANDS",
    "AGE_BANDS",
    "AGE_GROUPS",
    "CHILD",
    "CHILD_BANDS",
    "EUROSTAT_FORM_GROUPS",
    "EUROSTAT_SEX",
    "LABOUR_OR_CRIMINAL_FORMS",
    "OTHER_COUNTRIES",
    "OTHER_EU",
    "OTHER_NON_EU",
    "UNKNOWN",
    "DecisionTotals",
    "acceptance_share",
    "action_plan_progress",
    "age_group_bands",
    "age_label",
    "age_note",
    "citizenship_group_expression",
    "citizenship_group_label",
    "closing_reasons",
    "counting_rule",
    "cross_table",
    "days_to_decision",
    "decided_by_referrer_type",
    "decided_cases",
    "decision_rate",
    "decision_totals",
    "departed_returns",
    "eurostat_by_sex_and_age",
    "eurostat_by_sex_and_citizenship",
    "eurostat_by_sex_and_form",
    "eurostat_form_label",
    "eurostat_forms",
    "eurostat_rates",
    "eurostat_slug",
    "eurostat_victims",
    "exploitation_countries",
    "follow_up_outcomes",
    "foreword_of",
    "grouped_counts",
    "historical_series",
    "identification_rate_by_referrer",
    "identified_age_summary",
    "identified_by_age_band",
    "identified_by_age_group",
    "identified_by_authority",
    "identified_by_citizenship",
    "identified_by_citizenship_and_gender",
    "identified_by_citizenship_group",
    "identified_by_country_of_exploitation",
    "identified_by_eurostat_form",
    "identified_by_form",
    "identified_by_form_and_gender",
    "identified_by_gender",
    "identified_by_majority",
    "identified_by_means_of_control",
    "identified_by_referrer_type",
    "identified_by_sector",
    "identified_by_sexual_exploitation_type",
    "identified_cases",
    "identified_series",
    "identified_series_until",
    "identified_with_age",
    "identified_with_age_group",
    "joined_note",
    "joint_actions",
    "multi_note",
    "nationality_counts",
    "outreach_contacts",
    "person_count",
    "population_of",
    "presumed_cases",
    "presumed_counts",
    "prosecutions",
    "published_file",
    "published_release",
    "published_reports",
    "rate_tenths",
    "referral_region",
    "referrals_by_referrer_type",
    "referrals_by_region",
    "reflection_extensions",
    "reflection_periods",
    "release_document",
    "return_uptake",
    "returns_by_destination",
    "returns_note",
    "returns_series",
    "returns_series_until",
    "screening",
    "series_table",
    "sex_key",
    "sex_label",
    "stay_basis",
    "support_by_type",
    "totals_or_query",
    "year_list",
    "years_table",
]
