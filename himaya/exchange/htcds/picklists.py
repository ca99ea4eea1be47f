"""HTCDS picklists read as the templates' dropdowns and people fill them: by value name
("ForcedLabour") or label ("Forced labour"), in any case, with stray spaces or punctuation
("Debt bondage " as the template's own list spells it), several in one cell for the
multiselect fields ("Forced labour; Sexual exploitation", or separated by commas, bars or line
breaks), and mapped to Himaya's code lists through their ``htcds`` column (core/codedata.py).

Labels themselves hold commas and semicolons ("Agriculture, forestry and fishing",
"Congo, Democratic Republic of the"), so a cell is split into the longest runs of pieces that
name a value, never blindly at every separator.
"""

import functools
import re
import unicodedata

from django.utils.translation import gettext as _

from himaya.core.models import Code, excluded_codes
from himaya.core.registers.values import refused_message

from . import standard

_SEPARATORS = re.compile(r"([;,|\n\r،])")


def squash(text) -> str:
    """A matching key: case, accents, spaces and punctuation do not count."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return "".join(c for c in text.casefold() if c.isalnum())


class Picklist:
    """The values one field accepts: ``index`` maps a squashed name or label to the value the
    field yields (an HTCDS value name, or a Himaya code for countries)."""

    def __init__(self, field, entries, refused=()):
        self.field = field
        self.index = {}
        for value, names in entries:
            for name in names:
                if name:
                    self.index.setdefault(squash(name), value)
        # Names of values the deployment leaves out (HIMAYA_EXCLUDED_COUNTRIES): refused with
        # their own message rather than as unknown.
        self.refused = {squash(name) for name in refused if name} - set(self.index)

    def check_refused(self, raw):
        if squash(raw) in self.refused:
            raise ValueError(refused_message(raw))

    def parse_one(self, raw):
        self.check_refused(raw)
        found = self.index.get(squash(raw))
        if found is None:
            raise ValueError(
                _("“%(value)s” is not a value of the HTCDS list for %(field)s.")
                % {"value": str(raw).strip()[:60], "field": self.field}
            )
        return found

    def parse_many(self, raw):
        """Every value of a multiselect cell, in order, without repeats."""
        text = str(raw).strip()
        if squash(text) in self.index:
            return [self.index[squash(text)]]
        pieces = _SEPARATORS.split(text)
        words = pieces[0::2]  # the separators sit at the odd positions
        found, i = [], 0
        while i < len(words):
            if not squash(words[i]):
                i += 1
                continue
            for j in range(len(words), i, -1):
                joined = "".join(pieces[2 * i : 2 * j - 1])
                value = self.index.get(squash(joined))
                if value is not None:
                    break
            else:
                self.check_refused(words[i])
                raise ValueError(
                    _("“%(value)s” is not a value of the HTCDS list for %(field)s.")
                    % {"value": words[i].strip()[:60], "field": self.field}
                )
            if value not in found:
                found.append(value)
            i = j
        return found


def picklist(field):
    return Picklist(field, [(v, (v, label)) for v, label in standard.PICKLISTS[field]])


def label_of(field, value):
    """The template's label of a value name (what its dropdown writes)."""
    return dict(standard.PICKLISTS[field]).get(value, value)


def country_picklist():
    """Countries by ISO code, by the template's names, and by Himaya's names in every
    language; yields the Himaya country code."""
    known = {c.code: c for c in Code.objects.of("country")}
    entries = [(code, (code, name)) for code, name in standard.countries() if code in known]
    entries += [(c.code, (c.code, c.label_en, c.label_fr, c.label_ar)) for c in known.values()]
    excluded = excluded_codes("country")
    refused = [name for code, name in standard.countries() if code in excluded]
    refused += [
        name
        for c in Code.objects.filter(list="country", code__in=excluded)
        for name in (c.code, c.label_en, c.label_fr, c.label_ar)
    ]
    return Picklist("prs_Citizenship", entries, refused)


@functools.cache
def _template_countries():
    return dict(standard.countries())


def country_name(code):
    """The template's name of a country, else Himaya's English name, else the code."""
    names = _template_countries()
    if code in names:
        return names[code]
    found = Code.objects.of("country").filter(code=code).first()
    return found.label_en if found else code


# HTCDS field → Himaya code list. Each Himaya code names its HTCDS value (``Code.htcds``).
CODE_LISTS = {
    "prs_Gender": "sex",
    "vic_TraffickingStatus": "trafficking_status",
    "vic_TraffickingStatusDecisionMakingOrg": "decision_org",
    "vic_TypeOfExploitation": "exploitation_form",
    "vic_TypeOfSexExploitation": "sex_exploitation",
    "vic_MethodOfRecruitment": "recruitment_method",
    "vic_MethodsOfControl": "control_method",
    "vic_Vulnerabilities": "vulnerability",
    "vic_ForcedLabourIndustry": "industry",
    "cas_Status": "case_status",
}
# Where several Himaya codes carry one HTCDS value, the one an import records: the broader.
# (Servitude is "practices similar to slavery" or "domestic servitude"; HTCDS's Other is
# Himaya's forced criminality, medical experimentation or other form.)
PREFERRED = {
    ("exploitation_form", "Servitude"): "slavery_like",
    ("exploitation_form", "Other"): "other",
}


def himaya_code(field, value):
    """The Himaya code (a Code) of an HTCDS value name, or None when Himaya's list has none."""
    code_list = CODE_LISTS[field]
    codes = Code.objects.of(code_list)
    if code_list == "industry":
        # ISIC: the value names start with the section's letter ("A_Agriculture…").
        return codes.filter(code=value.split("_", 1)[0]).first()
    preferred = PREFERRED.get((code_list, value))
    if preferred:
        return codes.filter(code=preferred).first()
    return codes.filter(htcds=value).order_by("sort", "code").first()


def htcds_value(code):
    """The HTCDS value name of a Himaya code."""
    if code.list == "industry":
        return next(
            (
                v
                for v, _label in standard.PICKLISTS["vic_ForcedLabourIndustry"]
                if v[0] == code.code
            ),
            "",
        )
    return code.htcds


# Single selects of the template that Himaya records several of: a dossier's forced labour can
# span industries. One value, as the template's dropdown writes it, reads the same.
SEVERAL_IN_HIMAYA = {"vic_ForcedLabourIndustry"}


class Mapper:
    """Picklists and code lookups of one import or export, built once."""

    def __init__(self):
        self._lists = {}
        self._codes = {}

    def list_for(self, field):
        if field not in self._lists:
            self._lists[field] = (
                country_picklist() if field == "prs_Citizenship" else picklist(field)
            )
        return self._lists[field]

    def values(self, field, raw):
        """HTCDS value names (or country codes) of a cell; ValueError with a message."""
        plist = self.list_for(field)
        if field in standard.MULTISELECT or field in SEVERAL_IN_HIMAYA:
            return plist.parse_many(raw)
        return [plist.parse_one(raw)]

    def code(self, field, value):
        key = (field, value)
        if key not in self._codes:
            self._codes[key] = himaya_code(field, value)
        return self._codes[key]
