"""The demo's coordination records, written through the actions (audited like real work): the
national action plan 2023–2030 (four axes, a few dozen measures led by ministries, police,
gendarmerie, prosecution, NGOs and the international organisation, with indicators computed
from the figures or entered by hand), the prioritised recommendations of the 2024
Trafficking in Persons report on Morocco (the seed article) in Arabic, French and English, and
two years of trainings and commission meetings before the anchor date.

Called by the demo loader with its organisations, users, codes, anchor date and a generator of
its own; nothing here reads the clock. Dates of work are relative to the anchor (the demo
replays the last two years), the plan's own dates are the plan's."""

import datetime

from .. import actions
from .data import ADOPTED, AXES, FIGURE_NAMES, PLAN_END, PLAN_START, RECOMMENDATIONS

STATUS_STEPS = ["under_way", "done", "late", "under_way", "not_started", "under_way", "done"]
TOPICS = ["identification", "non_punishment", "interviews", "labour", "investigation", "referral"]
ORGANISERS = [
    "ministry_justice",
    "commission",
    "oimp",
    "police_tanger",
    "ngo_nour",
    "inspection_agadir",
]
AUDIENCES = ["police", "gendarmerie", "prosecution", "court", "ngo", "labour_inspectorate"]
PLACES = [
    ("Rabat", "rabat_sale_kenitra"),
    ("Tanger", "tanger_tetouan_al_hoceima"),
    ("Casablanca", "casablanca_settat"),
    ("Agadir", "souss_massa"),
    ("Oujda", "oriental"),
    ("Laâyoune", "laayoune_sakia_el_hamra"),
]


def _day(year, rng, *, before):
    """A working day of ``year``, never after ``before``."""
    day = datetime.date(year, 1, 15) + datetime.timedelta(days=rng.randrange(0, 330))
    return min(day, before)


def _plan(orgs, analyst, focal, anchor, rng):
    created = min(ADOPTED, anchor - datetime.timedelta(days=730))
    plan = actions.do_create_plan(
        acting_user=analyst,
        start_year=PLAN_START,
        end_year=PLAN_END,
        title_ar="الخطة الوطنية لمكافحة الاتجار بالبشر والوقاية منه 2023-2030",
        title_fr="Plan d'action national de lutte contre la traite des êtres humains 2023-2030",
        title_en="National action plan against trafficking in persons 2023-2030",
    )
    measures, counts = {}, {"plan_measures": 0, "plan_indicators": 0, "plan_status_changes": 0}
    for a, (axis_titles, objectives) in enumerate(AXES, 1):
        axis = actions.do_add_axis(plan, acting_user=analyst, **_titles(axis_titles))
        for o, (objective_titles, rows) in enumerate(objectives, 1):
            objective = actions.do_add_objective(
                axis, acting_user=analyst, **_titles(objective_titles)
            )
            for m, row in enumerate(rows, 1):
                ar, fr, en, lead, partners, budget, deadline, indicators = row
                measure = actions.do_add_measure(
                    objective,
                    acting_user=analyst,
                    title_ar=ar,
                    title_fr=fr,
                    title_en=en,
                    lead_agency=orgs[lead],
                    partners=[orgs[p] for p in partners],
                    budget_line=budget,
                    deadline=datetime.date(deadline, 12, 31),
                    on=created,
                )
                measures[f"{a}.{o}.{m}"] = measure
                counts["plan_measures"] += 1
                counts["plan_indicators"] += _indicators(measure, indicators, analyst, anchor)
                counts["plan_status_changes"] += _progress(
                    measure, analyst, focal if lead == "ministry_justice" else analyst, anchor, rng
                )
    return plan, measures, counts


def _titles(triple):
    ar, fr, en = triple
    return {"title_ar": ar, "title_fr": fr, "title_en": en}


def _indicators(measure, indicators, analyst, anchor):
    for spec in indicators:
        if spec[0] == "figure":
            _kind, key, baseline = spec
            targets = {y: round(baseline * (1 + 0.08 * (y - 2022))) for y in range(2023, 2031)}
            actions.do_add_indicator(
                measure,
                acting_user=analyst,
                figure=key,
                baseline_year=2022,
                baseline=baseline,
                targets=targets,
                **_figure_names(key),
            )
        else:
            _kind, (ar, fr, en), (src_ar, src_fr, src_en), baseline, step = spec
            sources = {"source_ar": src_ar, "source_fr": src_fr, "source_en": src_en}
            targets = {y: baseline + step * (y - 2022) for y in range(2023, 2031)}
            indicator = actions.do_add_indicator(
                measure,
                acting_user=analyst,
                name_ar=ar,
                name_fr=fr,
                name_en=en,
                baseline_year=2022,
                baseline=baseline,
                targets=targets,
                **sources,
            )
            for year in range(2023, anchor.year):
                # actual values lag their targets a little, as reported by hand
                actual = baseline + step * (year - 2022) - (year % 3)
                actions.do_set_indicator_year(
                    indicator,
                    acting_user=analyst,
                    year=year,
                    target=targets.get(year),
                    actual=max(actual, 0),
                    **sources,
                )
    return len(indicators)


def _figure_names(key):
    ar, fr, en = FIGURE_NAMES[key]
    return {"name_ar": ar, "name_fr": fr, "name_en": en}


def _progress(measure, analyst, writer, anchor, rng):
    """A status history for the measure over the last two years, and a progress note."""
    steps = rng.randrange(0, 3)
    day = anchor - datetime.timedelta(days=700)
    status = measure.status
    n = 0
    for _i in range(steps):
        day = min(day + datetime.timedelta(days=rng.randrange(60, 300)), anchor)
        choices = [s for s in STATUS_STEPS if s != status]
        if measure.deadline < day:
            choices = [s for s in ("done", "late") if s != status]
        status = rng.choice(choices)
        measure = actions.do_set_measure_status(
            measure,
            acting_user=writer,
            expected_version=measure.version,
            status=status,
            note="",
            on=day,
        )
        n += 1
    if n:
        actions.do_add_progress_note(
            measure,
            acting_user=writer,
            text="Point d'étape transmis à la Commission nationale.",
            on=day,
        )
    return n


def _recommendations(orgs, measures, analyst, focal, anchor):
    n = 0
    for priority, ref, ar, fr, en, linked, agencies in RECOMMENDATIONS:
        rec = actions.do_add_recommendation(
            acting_user=analyst,
            source="tip_report",
            year=2024,
            reference=ref,
            priority=priority,
            text_ar=ar,
            text_fr=fr,
            text_en=en,
            measures=[measures[c] for c in linked],
            agencies=[orgs[a] for a in agencies],
        )
        n += 1
        for year in range(2024, anchor.year):
            status = "in_progress" if year == 2024 or ref.startswith("F") else "partly"
            writer = focal if "ministry_justice" in agencies else analyst
            actions.do_record_progress(
                rec,
                acting_user=writer,
                year=year,
                status=status,
                evidence=f"Mesures {', '.join(linked)} : avancement rapporté en {year}.",
            )
    return n


def _trainings(orgs, codes, analyst, focal, anchor, rng):
    n = 0
    for year in (anchor.year - 2, anchor.year - 1):
        for i in range(10):
            organiser = ORGANISERS[(i + year) % len(ORGANISERS)]
            place, region = PLACES[rng.randrange(len(PLACES))]
            starts = _day(year, rng, before=anchor)
            audience = []
            for kind in rng.sample(AUDIENCES, rng.randrange(1, 4)):
                audience.append(
                    (codes("org_type", kind), rng.randrange(2, 15), rng.randrange(2, 15), 0)
                )
            topic = TOPICS[(i + rng.randrange(3)) % len(TOPICS)]
            actions.do_record_training(
                acting_user=focal if organiser == "ministry_justice" else analyst,
                organiser=orgs[organiser],
                topic=topic,
                title=f"Atelier {i + 1}/{year} · {place}",
                starts_on=starts,
                ends_on=min(starts + datetime.timedelta(days=rng.randrange(0, 3)), anchor),
                place=place,
                region=codes("region", region),
                funder=rng.choice(["", "Union européenne", "OIM", "Budget général"]),
                audience=audience,
                on=anchor,
            )
            n += 1
    return n


def _meetings(orgs, analyst, focal, anchor, rng):
    counts = {"commission_meetings": 0, "follow_up_actions": 0}
    attendees = ["ministry_justice", "police_casa", "parquet_rabat", "ngo_nour", "oimp", "hotline"]
    for year in (anchor.year - 2, anchor.year - 1):
        for quarter in range(4):
            held = min(datetime.date(year, 3 * quarter + 2, 10), anchor)
            meeting = actions.do_record_meeting(
                acting_user=analyst,
                held_on=held,
                title=f"Réunion plénière T{quarter + 1} {year}",
                place="Rabat",
                agenda="Suivi du plan d'action; recommandations internationales; formations.",
                attendance=[(orgs["commission"], 4)]
                + [(orgs[k], rng.randrange(1, 4)) for k in attendees],
            )
            counts["commission_meetings"] += 1
            decision = actions.do_add_decision(
                meeting,
                acting_user=analyst,
                text="Chaque point focal transmet l'état d'avancement de ses mesures.",
            )
            for agency in rng.sample(attendees, 2):
                due = held + datetime.timedelta(days=rng.randrange(30, 120))
                action = actions.do_assign_action(
                    decision,
                    acting_user=analyst,
                    text="Transmettre les pièces justificatives des mesures pilotées.",
                    agency=orgs[agency],
                    due_on=due,
                )
                counts["follow_up_actions"] += 1
                # the older ones were done; the most recent stay open (some overdue)
                if due < anchor - datetime.timedelta(days=200):
                    actions.do_close_action(
                        action,
                        acting_user=focal if agency == "ministry_justice" else analyst,
                        expected_version=action.version,
                        note="Transmis.",
                        on=min(due, anchor),
                    )
    return counts


def load(orgs, users, codes, anchor, rng):
    analyst, focal = users["analyst"], users["focal"]
    _plan_obj, measures, counts = _plan(orgs, analyst, focal, anchor, rng)
    counts["recommendations"] = _recommendations(orgs, measures, analyst, focal, anchor)
    counts["trainings"] = _trainings(orgs, codes, analyst, focal, anchor, rng)
    counts.update(_meetings(orgs, analyst, focal, anchor, rng))
    return counts
