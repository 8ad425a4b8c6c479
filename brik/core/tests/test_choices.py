"""Every category that Brik exports has its code in each standard that reads it.

An export is a mapping from a TextChoices member to its HTCDS/CTDC/Eurostat
code (brik.core.choices.*_CODES): a member without a code would silently drop
out of an export, and a misspelt code would name a column the reader lacks.
"""

import pytest
from django.apps import apps

from brik.core import choices as c

# Which standards each mapping feeds: HTCDS for every one; CTDC's flat files and
# Eurostat's crim_thb only for the categories they count by.
STANDARDS = {
    "GENDER_CODES": (c.Gender, {"htcds", "ctdc", "eurostat"}),
    "TRAFFICKING_STATUS_CODES": (c.TraffickingStatus, {"htcds"}),
    "ORGANISATION_TYPE_CODES": (c.OrganisationType, {"htcds"}),
    "EXPLOITATION_FORM_CODES": (c.ExploitationForm, {"htcds", "ctdc", "eurostat"}),
    "SEXUAL_EXPLOITATION_TYPE_CODES": (c.SexualExploitationType, {"htcds", "ctdc"}),
    "LABOUR_SECTOR_CODES": (c.LabourSector, {"htcds", "ctdc"}),
    "MEANS_OF_CONTROL_CODES": (c.MeansOfControl, {"htcds", "ctdc"}),
}

# Where the standard itself has no value, the export leaves the field empty
# (HTCDS and CTDC have no "not determined" form; CTDC leaves unknown gender blank).
NO_CODE_IN_STANDARD = {
    ("EXPLOITATION_FORM_CODES", c.ExploitationForm.NOT_DETERMINED, "htcds"),
    ("EXPLOITATION_FORM_CODES", c.ExploitationForm.NOT_DETERMINED, "ctdc"),
    ("GENDER_CODES", c.Gender.UNKNOWN, "ctdc"),
}

# HTCDS v2.0 vocabularies (IOM, CC BY 4.0), as listed in docs/domain.md.
HTCDS_GENDERS = {
    "Feminine",
    "Masculine",
    "TransgenderFeminine",
    "TransgenderMasculine",
    "NonConforming",
    "NonSpecifiedUnknown",
}
HTCDS_EXPLOITATION_TYPES = {
    "ForcedLabour",
    "SexualExploitation",
    "ChildLabour",
    "ForcedMarriage",
    "Servitude",
    "ForcedMilitaryByNonStateActors",
    "OrganRemoval",
    "ForcedBegging",
    "ForcedAdoption",
    "Surrogacy",
    "Other",
}
HTCDS_TRAFFICKING_STATUSES = {"PossibleVictim", "ActualVictim", "NotAVictim"}

# CTDC's global dataset: gender values and the 0/1 flag columns.
CTDC_GENDERS = {"Woman", "Man", "Trans/Transgender/NonConforming"}
CTDC_FLAG_COLUMNS = {
    "meansOfControlDebtBondage",
    "meansOfControlTakesEarnings",
    "meansOfControlRestrictsFinancialAccess",
    "meansOfControlThreats",
    "meansOfControlPsychologicalAbuse",
    "meansOfControlPhysicalAbuse",
    "meansOfControlSexualAbuse",
    "meansOfControlFalsePromises",
    "meansOfControlPsychoactiveSubstances",
    "meansOfControlRestrictsMovement",
    "meansOfControlRestrictsMedicalCare",
    "meansOfControlExcessiveWorkingHours",
    "meansOfControlUsesChildren",
    "meansOfControlThreatOfLawEnforcement",
    "meansOfControlWithholdsNecessities",
    "meansOfControlWithholdsDocuments",
    "meansOfControlOther",
    "meansOfControlNotSpecified",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "isSlaveryAndPractices",
    "typeOfLabourAgriculture",
    "typeOfLabourAquafarming",
    "typeOfLabourBegging",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfLabourIllicitActivities",
    "typeOfLabourManufacturing",
    "typeOfLabourMiningOrDrilling",
    "typeOfLabourPeddling",
    "typeOfLabourTransportation",
    "typeOfLabourOther",
    "typeOfLabourNotSpecified",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "typeOfSexRemoteInteractiveServices",
    "typeOfSexPrivateSexualServices",
}


def mapping(name: str) -> dict:
    return getattr(c, name)


def test_every_codes_mapping_is_checked_here():
    in_module = {name for name in vars(c) if name.endswith("_CODES")}

    assert in_module == set(STANDARDS)


@pytest.mark.parametrize("name", sorted(STANDARDS))
def test_each_mapping_has_exactly_one_entry_per_member(name):
    choices, _standards = STANDARDS[name]

    assert set(mapping(name)) == set(choices)
    assert all(isinstance(codes, c.Codes) for codes in mapping(name).values())


def needed_codes():
    for name, (choices, standards) in sorted(STANDARDS.items()):
        for member in choices:
            for standard in sorted(standards):
                yield pytest.param(name, member, standard, id=f"{name}-{member.value}-{standard}")


@pytest.mark.parametrize(("name", "member", "standard"), list(needed_codes()))
def test_each_member_has_the_codes_its_standards_need(name, member, standard):
    code = getattr(mapping(name)[member], standard)

    if (name, member, standard) in NO_CODE_IN_STANDARD:
        assert code == "", "listed as having no code in the standard, but has one"
    else:
        assert code.strip() == code != ""


def test_htcds_genders_are_from_its_vocabulary():
    assert {codes.htcds for codes in c.GENDER_CODES.values()} <= HTCDS_GENDERS


def test_htcds_exploitation_types_are_from_its_vocabulary():
    used = {codes.htcds for codes in c.EXPLOITATION_FORM_CODES.values()} - {""}

    assert used <= HTCDS_EXPLOITATION_TYPES


def test_htcds_trafficking_statuses_are_from_its_vocabulary():
    assert {codes.htcds for codes in c.TRAFFICKING_STATUS_CODES.values()} == (
        HTCDS_TRAFFICKING_STATUSES
    )


def test_ctdc_genders_are_from_its_vocabulary():
    assert {codes.ctdc for codes in c.GENDER_CODES.values()} - {""} <= CTDC_GENDERS


def ctdc_flags():
    for name in (
        "EXPLOITATION_FORM_CODES",
        "SEXUAL_EXPLOITATION_TYPE_CODES",
        "LABOUR_SECTOR_CODES",
        "MEANS_OF_CONTROL_CODES",
    ):
        for member, codes in mapping(name).items():
            if not codes.ctdc:
                continue
            yield pytest.param(codes.ctdc, id=f"{name}-{member.value}")


@pytest.mark.parametrize("column", list(ctdc_flags()))
def test_ctdc_codes_name_real_columns_of_its_flat_file(column):
    assert column in CTDC_FLAG_COLUMNS


def test_ctdc_flag_families_match_the_category():
    prefixes = {
        "EXPLOITATION_FORM_CODES": "is",
        "SEXUAL_EXPLOITATION_TYPE_CODES": "typeOfSex",
        "LABOUR_SECTOR_CODES": "typeOfLabour",
        "MEANS_OF_CONTROL_CODES": "meansOfControl",
    }
    for name, prefix in prefixes.items():
        for member, codes in mapping(name).items():
            assert codes.ctdc == "" or codes.ctdc.startswith(prefix), (name, member)


def test_isic_sections_keep_their_letter_in_htcds():
    for sector, codes in c.LABOUR_SECTOR_CODES.items():
        assert codes.htcds == sector.value


def test_the_sexes_eurostat_counts_are_f_m_and_unknown():
    assert {codes.eurostat for codes in c.GENDER_CODES.values()} == {"F", "M", "UNK"}


def test_every_outcome_has_a_trafficking_status():
    assert set(c.OUTCOME_STATUS) == set(c.Outcome)
    assert set(c.OUTCOME_STATUS.values()) <= set(c.TraffickingStatus)


def test_every_choice_value_fits_the_column_that_stores_it():
    # A value longer than its column would only show up as an error in production.
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if getattr(field, "choices", None) and getattr(field, "max_length", None):
                for value, _label in field.flatchoices:
                    assert len(value) <= field.max_length, (model.__name__, field.name, value)
