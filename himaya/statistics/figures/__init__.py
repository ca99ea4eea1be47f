"""The one home of figures (DOMAIN.md §6). Each figure is a function of ``(year, scope)``
with its counting rule in its docstring; the annual report, the dashboards, the public page
and the API read figures from here only.

Common rules:

- **Events dated in the year**: a figure counts records whose date (decision, arrest, start,
  referral sent…) falls between 1 January and 31 December of the year, in the deployment's
  time zone; an event on 31 December counts in that year, one on 1 January in the next.
- **Distinct people**: a person counts once per figure however many records, dossiers or events
  they have; two records linked as the same person (``Person.same_as``, ``Suspect.same_as``)
  are one person.
- **Forms may sum to more than the total**: a person is counted under every form of
  exploitation that applies, and under each parent form; a sub-form is an "including" line
  of its parent.
- **Child or adult by age at the event** (the identification, the start of the prosecution):
  from the birth date, the birth year alone (the age reached during the event's year, without
  the month), or the estimated age moved forward from the day it was estimated; unknown when
  there is none of these.
- **National or foreign**: a person holding the deployment's citizenship (settings
  ``HIMAYA_COUNTRY``) is national, even with another one; a person with citizenships none of
  which is the deployment's is foreign; without a recorded citizenship, unknown.

``scope`` narrows what is counted: None for the whole country (the commission's figures), or a
``Scope`` of the dossiers and organisations a reader may see (a drill-down).

The figures live in one package, one module per kind: ``victims`` (the one query of
identification decisions by year), ``defendants`` (the UNODC breakdowns), ``protection``
(referred, assisted and the referrals' figures), ``pillars`` (the other apps' figures), and
``catalogue`` (the figures an indicator may be computed from); ``common`` holds the scope and
the groups every figure shares. Every name is read from here (``figures.identified_victims``).
"""

from .catalogue import INDICATOR_FIGURES, indicator_catalogue, years_with_data  # noqa: F401
from .common import (  # noqa: F401
    AGE_GROUPS,
    CHILD_AGE,
    CITIZENSHIP_GROUPS,
    SEXES,
    Scope,
    age_group,
    age_on,
    citizenship_group,
    days,
    sex_group,
)
from .defendants import (  # noqa: F401
    Defendant,
    defendants_convicted,
    defendants_in_contact,
    defendants_prosecuted,
)
from .pillars import (  # noqa: F401
    hotline,
    justice,
    law_enforcement,
    non_punishment,
    screening,
    support_to_ngos,
    trainings,
)
from .protection import (  # noqa: F401
    identified_assisted,
    identified_referred,
    persons_assisted,
    persons_referred,
    protection,
    referrals_of_identified,
    services_of_identified,
)
from .victims import (  # noqa: F401
    Victim,
    first_dates,
    first_decisions,
    identified_victims,
    victims_by,
    victims_by_country,
    victims_by_form,
    victims_identified_by_form,
    victims_identified_total,
)
