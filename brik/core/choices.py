"""Every category Brik records or counts by, in one module.

Each TextChoices class is followed by its codes in the exchange standards that
others read (IOM's HTCDS v2.0, CTDC's flat files, Eurostat's crim_thb), so an
export is a mapping, not a rewrite. `brik.core.tests.test_choices` checks that
every member has every code.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Codes:
    htcds: str = ""
    ctdc: str = ""
    eurostat: str = ""


# --- People -----------------------------------------------------------------


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    TRANS_NONCONFORMING = "trans", _("Transgender / non-conforming")
    UNKNOWN = "unknown", _("Unknown")


GENDER_CODES = {
    Gender.WOMAN: Codes(htcds="Feminine", ctdc="Woman", eurostat="F"),
    Gender.MAN: Codes(htcds="Masculine", ctdc="Man", eurostat="M"),
    Gender.TRANS_NONCONFORMING: Codes(
        htcds="NonConforming", ctdc="Trans/Transgender/NonConforming", eurostat="UNK"
    ),
    Gender.UNKNOWN: Codes(htcds="NonSpecifiedUnknown", ctdc="", eurostat="UNK"),
}


class TraffickingStatus(models.TextChoices):
    POSSIBLE = "possible", _("Presumed victim")
    ACTUAL = "actual", _("Identified victim")
    NOT_VICTIM = "not_victim", _("Not a victim")


TRAFFICKING_STATUS_CODES = {
    TraffickingStatus.POSSIBLE: Codes(htcds="PossibleVictim"),
    TraffickingStatus.ACTUAL: Codes(htcds="ActualVictim"),
    TraffickingStatus.NOT_VICTIM: Codes(htcds="NotAVictim"),
}


# --- Organisations and users -------------------------------------------------


class OrganisationType(models.TextChoices):
    CENTRE = "centre", _("Anti-trafficking centre")
    POLICE = "police", _("Police district")
    PROSECUTION = "prosecution", _("Prosecution service")
    TAX = "tax", _("Tax agency")
    LABOUR = "labour", _("Labour inspectorate")
    IMMIGRATION = "immigration", _("Immigration service")
    MUNICIPALITY = "municipality", _("Municipality")
    NGO = "ngo", _("NGO")
    HEALTH = "health", _("Health service")
    REINTEGRATION = "reintegration", _("Reintegration partner abroad")
    OTHER = "other", _("Other")


ORGANISATION_TYPE_CODES = {
    OrganisationType.CENTRE: Codes(htcds="CentralGovernmentOrganisation"),
    OrganisationType.POLICE: Codes(htcds="LawEnforcement"),
    OrganisationType.PROSECUTION: Codes(htcds="LegalService"),
    OrganisationType.TAX: Codes(htcds="CentralGovernmentOrganisation"),
    OrganisationType.LABOUR: Codes(htcds="CentralGovernmentOrganisation"),
    OrganisationType.IMMIGRATION: Codes(htcds="ImmigrationService"),
    OrganisationType.MUNICIPALITY: Codes(htcds="LocalGovernmentOrganisation"),
    OrganisationType.NGO: Codes(htcds="NGO"),
    OrganisationType.HEALTH: Codes(htcds="HealthServiceOrganisation"),
    OrganisationType.REINTEGRATION: Codes(htcds="NGO"),
    OrganisationType.OTHER: Codes(htcds="Other"),
}


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Centre caseworker")
    LEAD = "lead", _("Centre lead")
    ANALYST = "analyst", _("Analyst")
    REFERRER = "referrer", _("Partner referrer")
    OUTREACH = "outreach", _("NGO outreach worker")
    ADMINISTRATOR = "administrator", _("Administrator")
    AUDITOR = "auditor", _("Auditor")


# --- The case and its steps ----------------------------------------------------


class CaseStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    INTERVIEW_PLANNED = "interview_planned", _("Interview planned")
    INTERVIEWED = "interviewed", _("Interviewed")
    IDENTIFIED = "identified", _("Assessed: identified")
    NOT_IDENTIFIED = "not_identified", _("Assessed: not identified")
    IN_SUPPORT = "in_support", _("In support")
    RETURNED = "returned", _("Returned")
    STAYING = "staying", _("Staying")
    CLOSED = "closed", _("Closed")


# The groups of case statuses, defined once (brik.cases.workflow's table, the
# models' constraints and the selectors all use these).
# Referred, and no decision yet: interviews and the decision are still to come.
CASE_BEFORE_DECISION = frozenset(
    {CaseStatus.REFERRED, CaseStatus.INTERVIEW_PLANNED, CaseStatus.INTERVIEWED}
)
# Identified and still here: the reflection period runs, support and return are offered.
CASE_IN_PERIOD = frozenset({CaseStatus.IDENTIFIED, CaseStatus.IN_SUPPORT})
# Identified at some point: every status a decision "identified" can lead to.
CASE_IDENTIFIED = CASE_IN_PERIOD | {CaseStatus.RETURNED, CaseStatus.STAYING}
# Not closed.
CASE_OPEN = frozenset(CaseStatus.values) - {CaseStatus.CLOSED}


class ReferralChannel(models.TextChoices):
    PARTNER = "partner", _("Referral from a partner")
    HOTLINE = "hotline", _("Hotline")
    JOINT_ACTION = "joint_action", _("Joint authority action")
    OUTREACH = "outreach", _("NGO outreach")
    SELF = "self", _("Self-referral in person")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SOON = "soon", _("Within days")
    URGENT = "urgent", _("Urgent (in custody or in danger)")


class Indicator(models.TextChoices):
    """ILO's 11 indicators of forced labour."""

    ABUSE_OF_VULNERABILITY = "abuse_of_vulnerability", _("Abuse of vulnerability")
    DECEPTION = "deception", _("Deception")
    RESTRICTION_OF_MOVEMENT = "restriction_of_movement", _("Restriction of movement")
    ISOLATION = "isolation", _("Isolation")
    PHYSICAL_SEXUAL_VIOLENCE = "physical_sexual_violence", _("Physical and sexual violence")
    INTIMIDATION_THREATS = "intimidation_threats", _("Intimidation and threats")
    RETENTION_OF_DOCUMENTS = "retention_of_documents", _("Retention of identity documents")
    WITHHOLDING_OF_WAGES = "withholding_of_wages", _("Withholding of wages")
    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    ABUSIVE_CONDITIONS = "abusive_conditions", _("Abusive working and living conditions")
    EXCESSIVE_OVERTIME = "excessive_overtime", _("Excessive overtime")


class IndicatorDimension(models.TextChoices):
    """The six dimensions of the ILO/EC operational indicators of trafficking."""

    DECEPTIVE_RECRUITMENT = "deceptive_recruitment", _("Deceptive recruitment")
    COERCIVE_RECRUITMENT = "coercive_recruitment", _("Coercive recruitment")
    RECRUITMENT_ABUSE_OF_VULNERABILITY = (
        "recruitment_vulnerability",
        _("Recruitment by abuse of vulnerability"),
    )
    EXPLOITATIVE_CONDITIONS = "exploitative_conditions", _("Exploitative conditions of work")
    COERCION_AT_DESTINATION = "coercion_at_destination", _("Coercion at destination")
    ABUSE_OF_VULNERABILITY_AT_DESTINATION = (
        "vulnerability_at_destination",
        _("Abuse of vulnerability at destination"),
    )


class InterviewStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class DecidingAuthority(models.TextChoices):
    CENTRE = "centre", _("The centre")
    IMMIGRATION = "immigration", _("Immigration service")
    COURT = "court", _("Court")


class Outcome(models.TextChoices):
    IDENTIFIED = "identified", _("Identified as victim")
    NOT_IDENTIFIED = "not_identified", _("Not identified")


OUTCOME_STATUS = {
    Outcome.IDENTIFIED: TraffickingStatus.ACTUAL,
    Outcome.NOT_IDENTIFIED: TraffickingStatus.NOT_VICTIM,
}


class ExploitationForm(models.TextChoices):
    """The centre's categories; the EU directive's minimum list maps onto them."""

    SEXUAL = "sexual", _("Sexual exploitation")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    CRIMINAL = "criminal", _("Criminal activities")
    SLAVERY_LIKE = "slavery_like", _("Slavery-like practices")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    ORGAN_REMOVAL = "organ_removal", _("Removal of organs")
    BEGGING = "begging", _("Forced begging")
    OTHER = "other", _("Other")
    NOT_DETERMINED = "not_determined", _("Not determined")


EXPLOITATION_FORM_CODES = {
    ExploitationForm.SEXUAL: Codes(
        htcds="SexualExploitation", ctdc="isSexualExploit", eurostat="SEX_EXP"
    ),
    ExploitationForm.FORCED_LABOUR: Codes(
        htcds="ForcedLabour", ctdc="isForcedLabour", eurostat="LAB_EXP"
    ),
    ExploitationForm.CRIMINAL: Codes(htcds="Other", ctdc="isOtherExploit", eurostat="OTH"),
    ExploitationForm.SLAVERY_LIKE: Codes(
        htcds="Servitude", ctdc="isSlaveryAndPractices", eurostat="LAB_EXP"
    ),
    ExploitationForm.FORCED_MARRIAGE: Codes(
        htcds="ForcedMarriage", ctdc="isForcedMarriage", eurostat="OTH"
    ),
    ExploitationForm.ORGAN_REMOVAL: Codes(
        htcds="OrganRemoval", ctdc="isOrganRemoval", eurostat="OTH"
    ),
    ExploitationForm.BEGGING: Codes(
        htcds="ForcedBegging", ctdc="isForcedLabour", eurostat="LAB_EXP"
    ),
    ExploitationForm.OTHER: Codes(htcds="Other", ctdc="isOtherExploit", eurostat="OTH"),
    ExploitationForm.NOT_DETERMINED: Codes(htcds="", ctdc="", eurostat="UNK"),
}


class SexualExploitationType(models.TextChoices):
    PROSTITUTION = "prostitution", _("Prostitution")
    PORNOGRAPHY = "pornography", _("Pornography")
    REMOTE_INTERACTIVE = "remote_interactive", _("Remote interactive services")
    PRIVATE_SERVICES = "private_services", _("Private sexual services")


SEXUAL_EXPLOITATION_TYPE_CODES = {
    SexualExploitationType.PROSTITUTION: Codes(htcds="Prostitution", ctdc="typeOfSexProstitution"),
    SexualExploitationType.PORNOGRAPHY: Codes(htcds="Pornography", ctdc="typeOfSexPornography"),
    SexualExploitationType.REMOTE_INTERACTIVE: Codes(
        htcds="RemoteInteractiveServices", ctdc="typeOfSexRemoteInteractiveServices"
    ),
    SexualExploitationType.PRIVATE_SERVICES: Codes(
        htcds="PrivateSexualServices", ctdc="typeOfSexPrivateSexualServices"
    ),
}


class LabourSector(models.TextChoices):
    """ISIC Rev.4 sections, the letter as the value."""

    A = "A", _("Agriculture, forestry and fishing")
    B = "B", _("Mining and quarrying")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, gas, steam and air conditioning supply")
    E = "E", _("Water supply, sewerage and waste management")
    F = "F", _("Construction")
    G = "G", _("Wholesale and retail trade")
    H = "H", _("Transportation and storage")
    I = "I", _("Accommodation and food service activities")  # noqa: E741
    J = "J", _("Information and communication")
    K = "K", _("Financial and insurance activities")
    L = "L", _("Real estate activities")
    M = "M", _("Professional, scientific and technical activities")
    N = "N", _("Administrative and support service activities")
    O = "O", _("Public administration and defence")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Human health and social work activities")
    R = "R", _("Arts, entertainment and recreation")
    S = "S", _("Other service activities")
    T = "T", _("Activities of households as employers")
    U = "U", _("Activities of extraterritorial organisations")


LABOUR_SECTOR_CODES = {
    LabourSector.A: Codes(htcds="A", ctdc="typeOfLabourAgriculture"),
    LabourSector.B: Codes(htcds="B", ctdc="typeOfLabourMiningOrDrilling"),
    LabourSector.C: Codes(htcds="C", ctdc="typeOfLabourManufacturing"),
    LabourSector.D: Codes(htcds="D", ctdc="typeOfLabourOther"),
    LabourSector.E: Codes(htcds="E", ctdc="typeOfLabourOther"),
    LabourSector.F: Codes(htcds="F", ctdc="typeOfLabourConstruction"),
    LabourSector.G: Codes(htcds="G", ctdc="typeOfLabourPeddling"),
    LabourSector.H: Codes(htcds="H", ctdc="typeOfLabourTransportation"),
    LabourSector.I: Codes(htcds="I", ctdc="typeOfLabourHospitality"),
    LabourSector.J: Codes(htcds="J", ctdc="typeOfLabourOther"),
    LabourSector.K: Codes(htcds="K", ctdc="typeOfLabourOther"),
    LabourSector.L: Codes(htcds="L", ctdc="typeOfLabourOther"),
    LabourSector.M: Codes(htcds="M", ctdc="typeOfLabourOther"),
    LabourSector.N: Codes(htcds="N", ctdc="typeOfLabourOther"),
    LabourSector.O: Codes(htcds="O", ctdc="typeOfLabourOther"),
    LabourSector.P: Codes(htcds="P", ctdc="typeOfLabourOther"),
    LabourSector.Q: Codes(htcds="Q", ctdc="typeOfLabourOther"),
    LabourSector.R: Codes(htcds="R", ctdc="typeOfLabourOther"),
    LabourSector.S: Codes(htcds="S", ctdc="typeOfLabourOther"),
    LabourSector.T: Codes(htcds="T", ctdc="typeOfLabourDomesticWork"),
    LabourSector.U: Codes(htcds="U", ctdc="typeOfLabourOther"),
}


class MeansOfControl(models.TextChoices):
    PHYSICAL_THREATS = "physical_threats", _("Threats of physical harm")
    LAW_ENFORCEMENT_THREATS = "law_enforcement_threats", _("Threats of law enforcement")
    FAMILY_THREATS = "family_threats", _("Threats to children or family")
    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    FALSE_PROMISES = "false_promises", _("False promises")
    PHYSICAL_ABUSE = "physical_abuse", _("Physical abuse")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychological abuse")
    TAKES_EARNINGS = "takes_earnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "restricts_finances", _("Restricts access to money")
    RESTRICTS_MEDICAL_CARE = "restricts_medical_care", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "withholds_necessities", _("Withholds necessities")
    PSYCHOACTIVE_SUBSTANCES = "psychoactive_substances", _("Psychoactive substances")
    EXCESSIVE_HOURS = "excessive_hours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "withholds_documents", _("Withholds documents")
    OTHER = "other", _("Other")


MEANS_OF_CONTROL_CODES = {
    MeansOfControl.PHYSICAL_THREATS: Codes(
        htcds="ThreatsOfPhysicalHarm", ctdc="meansOfControlThreats"
    ),
    MeansOfControl.LAW_ENFORCEMENT_THREATS: Codes(
        htcds="ThreatsOfLawEnforcement", ctdc="meansOfControlThreatOfLawEnforcement"
    ),
    MeansOfControl.FAMILY_THREATS: Codes(htcds="ThreatsToFamily", ctdc="meansOfControlThreats"),
    MeansOfControl.DEBT_BONDAGE: Codes(htcds="DebtBondage", ctdc="meansOfControlDebtBondage"),
    MeansOfControl.FALSE_PROMISES: Codes(htcds="FalsePromises", ctdc="meansOfControlFalsePromises"),
    MeansOfControl.PHYSICAL_ABUSE: Codes(htcds="PhysicalAbuse", ctdc="meansOfControlPhysicalAbuse"),
    MeansOfControl.SEXUAL_ABUSE: Codes(htcds="SexualAbuse", ctdc="meansOfControlSexualAbuse"),
    MeansOfControl.PSYCHOLOGICAL_ABUSE: Codes(
        htcds="PsychologicalAbuse", ctdc="meansOfControlPsychologicalAbuse"
    ),
    MeansOfControl.TAKES_EARNINGS: Codes(htcds="TakesEarnings", ctdc="meansOfControlTakesEarnings"),
    MeansOfControl.RESTRICTS_FINANCIAL_ACCESS: Codes(
        htcds="RestrictsFinancialAccess", ctdc="meansOfControlRestrictsFinancialAccess"
    ),
    MeansOfControl.RESTRICTS_MEDICAL_CARE: Codes(
        htcds="RestrictsMedicalCare", ctdc="meansOfControlRestrictsMedicalCare"
    ),
    MeansOfControl.WITHHOLDS_NECESSITIES: Codes(
        htcds="WithholdsNecessities", ctdc="meansOfControlWithholdsNecessities"
    ),
    MeansOfControl.PSYCHOACTIVE_SUBSTANCES: Codes(
        htcds="PsychoactiveSubstances", ctdc="meansOfControlPsychoactiveSubstances"
    ),
    MeansOfControl.EXCESSIVE_HOURS: Codes(
        htcds="ExcessiveWorkingHours", ctdc="meansOfControlExcessiveWorkingHours"
    ),
    MeansOfControl.WITHHOLDS_DOCUMENTS: Codes(
        htcds="WithholdsDocuments", ctdc="meansOfControlWithholdsDocuments"
    ),
    MeansOfControl.OTHER: Codes(htcds="Other", ctdc="meansOfControlOther"),
}


class PeriodKind(models.TextChoices):
    REFLECTION = "reflection", _("Reflection period")
    RESTITUTION = "restitution", _("Restitution period")


class ExtensionReason(models.TextChoices):
    SPECIAL_REASONS = "special_reasons", _("Special reasons")
    PREPARED_RETURN = "prepared_return", _("Working towards a prepared return")


class SupportType(models.TextChoices):
    ACCOMMODATION = "accommodation", _("Accommodation with board")
    MEDICAL = "medical", _("Medical help")
    PSYCHOLOGICAL = "psychological", _("Psychological help")
    LEGAL_AID = "legal_aid", _("Legal aid")
    EDUCATION = "education", _("Education activities")
    CONTACT_PERSON = "contact_person", _("Contact person")
    INTERPRETER = "interpreter", _("Interpreter")
    OTHER = "other", _("Other")


class ReturnStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    DEPARTED = "departed", _("Departed")


class DestinationKind(models.TextChoices):
    HOME = "home", _("Home country")
    RESIDENCE = "residence", _("Country of residence")


class FollowUpStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    DIFFICULTIES = "difficulties", _("Difficulties")
    NO_CONTACT = "no_contact", _("No contact")
    COMPLETED = "completed", _("Reintegration completed")


class StayBasis(models.TextChoices):
    ASYLUM = "asylum", _("Asylum")
    INVESTIGATION_PERMIT = (
        "investigation_permit",
        _("Residence permit for investigation or prosecution (Aliens Act section 9 c(5))"),
    )
    EU_RESIDENCE = "eu_residence", _("EU right of residence")
    CITIZEN = "citizen", _("Danish citizen")
    OTHER = "other", _("Other residence basis")


class ClosingReason(models.TextChoices):
    NOT_IDENTIFIED = "not_identified", _("Not identified")
    RETURN_COMPLETED = "return_completed", _("Prepared return and follow-up completed")
    STAYING = "staying", _("Stays in the country")
    DECLINED_SUPPORT = "declined_support", _("Declined support")
    DISAPPEARED = "disappeared", _("Disappeared")
    DEPARTED_WITHOUT_RETURN = "departed", _("Left without prepared return")
    TRANSFERRED = "transferred", _("Transferred to another authority")
    OTHER = "other", _("Other reason")


class ReopenReason(models.TextChoices):
    NEW_INFORMATION = "new_information", _("New information")
    PERSON_RETURNED = "person_returned", _("The person came back")
    CLOSED_IN_ERROR = "closed_in_error", _("Closed by mistake")
    OTHER = "other", _("Other reason")


class SafeToContact(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known")


# --- Cooperation ----------------------------------------------------------------


class Sector(models.TextChoices):
    CONSTRUCTION = "construction", _("Construction")
    AGRICULTURE = "agriculture", _("Agriculture")
    CLEANING = "cleaning", _("Cleaning")
    RESTAURANTS = "restaurants", _("Restaurants and hotels")
    MASSAGE = "massage", _("Massage clinics")
    PROSTITUTION = "prostitution", _("Prostitution")
    TRANSPORT = "transport", _("Transport")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    HOVEDSTADEN = "hovedstaden", pgettext_lazy("region", "Capital Region")
    SJAELLAND = "sjaelland", pgettext_lazy("region", "Zealand")
    SYDDANMARK = "syddanmark", pgettext_lazy("region", "Southern Denmark")
    MIDTJYLLAND = "midtjylland", pgettext_lazy("region", "Central Denmark")
    NORDJYLLAND = "nordjylland", pgettext_lazy("region", "North Denmark")


class JointActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class PlaceType(models.TextChoices):
    STREET = "street", _("Street")
    BROTHEL = "brothel", _("Brothel or massage clinic")
    ONLINE = "online", _("Online")
    LABOUR_SITE = "labour_site", _("Work site")
    SHELTER = "shelter", _("Shelter or drop-in")
    OTHER = "other", _("Other")


class Charge(models.TextChoices):
    TRAFFICKING = "262a", _("Trafficking in human beings (Criminal Code § 262 a)")
    PROCURING = "228", _("Procuring (Criminal Code § 228)")
    PIMPING = "229", _("Pimping (Criminal Code § 229)")
    COERCION = "260", _("Unlawful coercion (Criminal Code § 260)")
    DEPRIVATION_OF_LIBERTY = "261", _("Deprivation of liberty (Criminal Code § 261)")
    ALIENS_ACT = "aliens_act", _("Illegal employment (Aliens Act § 59)")
    OTHER = "other", _("Other")


class ProsecutionStatus(models.TextChoices):
    INVESTIGATION = "investigation", _("Under investigation")
    CHARGED = "charged", _("Charged")
    VERDICT = "verdict", _("Verdict given")
    DROPPED = "dropped", _("Dropped")


class Verdict(models.TextChoices):
    CONVICTED = "convicted", _("Convicted")
    CONVICTED_OTHER = "convicted_other", _("Convicted of another offence")
    ACQUITTED = "acquitted", _("Acquitted")


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")
