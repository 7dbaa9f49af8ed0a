"""A patient's safety plan and relapse-prevention plan.

Each plan is declared once as a `PlanSpec` (its sections, in order, in our own
words) and everything else reads it: the form's fields, their checks, what is
stored (`personal_plan.content`, one row per patient and kind) and what the
plan page, the print view and the phone's offline copy show.

- The safety plan follows the six steps of the Safety Planning Intervention
  (Stanley & Brown, 2012), written in our own words, plus the reasons to live.
  Its "professionals and crisis lines" start filled in from content/crisis.py.
- The relapse-prevention plan: triggers, early warning signs, ways to cope
  (linked to exercises), things to do instead, supports and meetings,
  reasons for recovery, and what to do after a slip.

A section is either lines (one thing per line) or contacts (a name and a phone
number, shown as tap-to-call and tap-to-text links). Saving is all or
nothing: any bad field returns its `Problem` and nothing is stored. A plan id
sent by the page must be this patient's own plan of this kind, and the version
it started from must still be the stored one (another device's edit is never
overwritten).

The safety plan also has a guided start (`SAFETY_START`): three short steps
(a warning sign, one thing to do on your own, one person to call) for a
patient who has no plan when they need one. Each step is saved on its own
(`save_start_step`) into the same plan, by the same rules, so a patient who
stops after the first step has a plan; a new plan starts with the crisis
lines (988 first) as its professionals.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from skills_app.content.crisis import IN_THE_US
from skills_app.core import db
from skills_app.core.clock import PHONE_CLOCK_AHEAD, ensure_utc, utcnow
from skills_app.core.dates import local_date_of
from skills_app.core.models import PersonalPlan, PlanReview, User
from skills_app.core.problems import Problem, ProblemError
from skills_app.core.schemas import FieldErrors, clean_text, idempotency_key
from skills_app.text import N_, _


class PlanKind(StrEnum):
    SAFETY = "safety"
    RELAPSE = "relapse"


class SectionKind(StrEnum):
    LINES = "lines"
    CONTACTS = "contacts"


LINES_MAX_CHARS = 2_000
LINES_MAX = 20
CONTACTS_MAX = 6
CONTACT_NAME_MAX = 80
PHONE_MAX = 30
_PHONE = re.compile(r"[0-9+()\-. ]+")


@dataclass(frozen=True)
class Exercise:
    """A guided exercise a section links to (an id of content/exercises/; the page
    shows the title its file gives it)."""

    id: str


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str


@dataclass(frozen=True)
class PlanSection:
    """One part of a plan. `prompt` asks for it in plain words; `phrase` names its
    list inside an error message ("Your list of warning signs is too long...").

    Titles, prompts and phrases are English catalogue messages (`N_()`): the
    screens show them with `_()` in the reader's language."""

    key: str
    title: str
    prompt: str
    phrase: str
    kind: SectionKind = SectionKind.LINES
    group: str = ""
    exercises: tuple[Exercise, ...] = ()
    starts_with: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class PlanSpec:
    kind: PlanKind
    title: str
    intro: str
    sections: tuple[PlanSection, ...]
    route: str

    def section(self, key: str) -> PlanSection:
        return next(section for section in self.sections if section.key == key)


def _crisis_contacts() -> tuple[Contact, ...]:
    """The crisis lines a new safety plan starts with; their names are catalogue
    messages, stored in the patient's language when the plan is first saved."""
    if not IN_THE_US:
        return ()
    return (Contact(N_("988 Suicide & Crisis Lifeline (call or text)"), "988"),
            Contact(N_("Emergency"), "911"),
            Contact(N_("Crisis Text Line (text HOME)"), "741741"))


SAFETY_PLAN = PlanSpec(
    kind=PlanKind.SAFETY,
    title=N_("My safety plan"),
    intro=N_("A plan for hard moments, in your own words. Work through it with your "
             "therapist if you can, and go step by step when things get hard."),
    route="/safety-plan/",
    sections=(
        PlanSection("warning_signs", N_("1. My warning signs"),
                    N_("Thoughts, moods, pictures in my head or situations that tell me a "
                       "crisis may be starting."), N_("list of warning signs")),
        PlanSection("on_my_own", N_("2. Things I can do on my own"),
                    N_("Things that take my mind off my problems for a while, without "
                       "anyone else."), N_("list of things you can do on your own")),
        PlanSection("distractions", N_("3. People and places that take my mind off things"),
                    N_("People I can be with and places I can go to feel less alone."),
                    N_("list of people and places")),
        PlanSection("people_to_ask", N_("4. People I can ask for help"),
                    N_("People I can tell that I'm not OK."),
                    N_("list of people to ask for help"), kind=SectionKind.CONTACTS),
        PlanSection("professionals", N_("5. Professionals and crisis lines"),
                    N_("My therapist or doctor, my clinic, and crisis lines I can call or "
                       "text."),
                    N_("list of professionals and crisis lines"), kind=SectionKind.CONTACTS,
                    starts_with=_crisis_contacts()),
        PlanSection("safer_surroundings", N_("6. Making my surroundings safer"),
                    N_("How I will keep away from things I could use to hurt myself: "
                       "medicines, firearms, alcohol or drugs. Who can hold on to them for "
                       "now. If opioids are around, where my naloxone (Narcan) is."),
                    N_("list of ways to make your surroundings safer")),
        PlanSection("reasons_to_live", N_("My reasons for living"),
                    N_("The people and things that matter most to me and are worth "
                       "living for."), N_("list of reasons for living")),
    ),
)

_TRIGGERS = N_("My triggers")
RELAPSE_PLAN = PlanSpec(
    kind=PlanKind.RELAPSE,
    title=N_("My relapse-prevention plan"),
    intro=N_("A plan to protect your recovery: what sets off cravings, what helps, "
             "who to call, and what to do if you slip."),
    route="/relapse-plan/",
    sections=(
        PlanSection("trigger_people", N_("People"), N_("People I find it hard to be around."),
                    N_("list of trigger people"), group=_TRIGGERS),
        PlanSection("trigger_places", N_("Places"), N_("Places that make me want to use."),
                    N_("list of trigger places"), group=_TRIGGERS),
        PlanSection("trigger_things", N_("Things"), N_("Things that remind me of using."),
                    N_("list of trigger things"), group=_TRIGGERS),
        PlanSection("trigger_feelings", N_("Feelings"),
                    N_("Feelings that set off cravings. Am I hungry, angry, lonely or "
                       "tired?"),
                    N_("list of trigger feelings"), group=_TRIGGERS),
        PlanSection("trigger_times", N_("Times"),
                    N_("Times of day, days or dates that are hard."),
                    N_("list of trigger times"), group=_TRIGGERS),
        PlanSection("warning_signs", N_("Early warning signs"),
                    N_("Changes in what I think, feel or do that tell me I'm at risk."),
                    N_("list of early warning signs")),
        PlanSection("coping", N_("Ways I cope with cravings"),
                    N_("What helps me ride out a craving or a hard feeling."),
                    N_("list of ways to cope"),
                    exercises=(Exercise("urge-surfing"), Exercise("halt-check"),
                               Exercise("play-the-tape-through"), Exercise("tip"))),
        PlanSection("activities", N_("Things I can do instead"),
                    N_("Activities that keep me busy and feel good."),
                    N_("list of things to do instead")),
        PlanSection("supports", N_("People who support my recovery"),
                    N_("People I can call when things get hard."), N_("list of supports"),
                    kind=SectionKind.CONTACTS),
        PlanSection("meetings", N_("Meetings and groups"),
                    N_("Meetings I go to: name, place and time."), N_("list of meetings")),
        PlanSection("reasons", N_("My reasons for recovery"),
                    N_("Why my recovery matters to me."), N_("list of reasons for recovery")),
        PlanSection("after_slip", N_("If I slip, I will"),
                    N_("Who I will call and what I will do next."),
                    N_("list of steps after a slip")),
    ),
)

PLANS: dict[PlanKind, PlanSpec] = {SAFETY_PLAN.kind: SAFETY_PLAN, RELAPSE_PLAN.kind: RELAPSE_PLAN}

# What the relapse plan and the slip card say about a slip, in our own words.
AFTER_A_SLIP: tuple[str, ...] = (
    N_("A slip is not a relapse. One slip does not undo what you have learned."),
    N_("Your body's tolerance drops after a break: an amount you used to take can now "
       "be too much."),
    N_("Never use alone. If you do use, have someone with you who can get help."),
    N_("Keep naloxone (Narcan) with you. It can reverse an opioid overdose. Many pharmacies "
       "give it without a prescription."),
)

# --- the safety plan's guided start ---------------------------------------------------

@dataclass(frozen=True)
class StartStep:
    """One step of the guided start: one section of the safety plan, asked simply.

    `empty` is the problem code when nothing was written (a step needs an answer:
    the patient can stop instead); its sentence is in text/words/safety.py.
    """

    number: int
    section: str
    question: str
    hint: str
    empty: str


SAFETY_START: tuple[StartStep, ...] = (
    StartStep(1, "warning_signs", N_("What tells you a hard time is starting?"),
              N_("A thought, a feeling or something you do. For example: I stop eating. "
                 "I stay in my room. I think nobody cares."),
              "start_no_warning_sign"),
    StartStep(2, "on_my_own",
              N_("What is one thing you can do on your own to get through it?"),
              N_("For example: take a shower, walk around the block, play a song I love."),
              "start_no_thing_to_do"),
    StartStep(3, "people_to_ask", N_("Who is one person you can reach out to?"),
              N_("Someone you can call or text when you are not OK."),
              "start_no_person"),
)
NO_PLAN_YET = N_("You have no safety plan yet — make one in 2 minutes")
START_INTRO = N_("Three short steps. Each one is saved as you go.")
STEP_FIELDS_ONLY = Problem("step_fields_only")
# Hidden fields every step's form carries besides its answers.
_STEP_BOOKKEEPING = frozenset({"plan_id", "version", "step", "idempotency_key", "written_at"})

PLAN_NOT_FOUND = Problem("plan_not_found")
CHANGED_ELSEWHERE = Problem("plan_changed_elsewhere")
BAD_FORM = Problem("bad_form")

# --- form fields -----------------------------------------------------------------

def contact_field(section: PlanSection, part: str, n: int) -> str:
    """The form field of a contact's name or phone: people_to_ask_name_1."""
    return f"{section.key}_{part}_{n}"


def form_fields(spec: PlanSpec) -> tuple[str, ...]:
    names: list[str] = []
    for section in spec.sections:
        if section.kind == SectionKind.LINES:
            names.append(section.key)
        else:
            for n in range(1, CONTACTS_MAX + 1):
                names += [contact_field(section, "name", n), contact_field(section, "phone", n)]
    return tuple(names)


# --- checks ------------------------------------------------------------------------

def check_phone(value: object) -> str:
    """A phone number as typed (digits, spaces, +, -, dots, brackets), or `ProblemError`."""
    phone = clean_text(value, label=N_("phone number"), max_length=PHONE_MAX, required=False)
    if phone and (not _PHONE.fullmatch(phone) or sum(ch.isdigit() for ch in phone) < 3):
        raise ProblemError("phone_characters")
    return phone


def dial_href(phone: str, scheme: str = "tel") -> str:
    """tel:/sms: link for a checked phone number: "+1 (555) 010-2000" -> "tel:+15550102000"."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"{scheme}:{'+' if phone.strip().startswith('+') else ''}{digits}"


def _lines(section: PlanSection, value: object) -> list[str]:
    text = clean_text(value, label=section.phrase, max_length=LINES_MAX_CHARS,
                      required=False, multiline=True)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > LINES_MAX:
        raise ProblemError("too_many_lines", label=section.phrase, high=LINES_MAX,
                           count=len(lines))
    return lines


def _contacts(section: PlanSection, form: Mapping[str, object]) -> list[dict[str, str]]:
    contacts: list[dict[str, str]] = []
    for n in range(1, CONTACTS_MAX + 1):
        name = clean_text(form.get(contact_field(section, "name", n)), label=N_("name"),
                          max_length=CONTACT_NAME_MAX, required=False)
        phone = check_phone(form.get(contact_field(section, "phone", n)))
        if phone and not name:
            raise ProblemError("contact_needs_name", phone=phone)
        if name:
            contacts.append({"name": name, "phone": phone})
    return contacts


def start_step(number: object) -> StartStep | None:
    """The guided start's step numbered `number` (as the page sends it), or None."""
    parsed = _parse_number(number)
    return next((step for step in SAFETY_START if step.number == parsed), None)


def start_fields(step: StartStep) -> tuple[str, ...]:
    """The form fields a step asks: the lines of its section, or its first contact."""
    section = SAFETY_PLAN.section(step.section)
    if section.kind == SectionKind.LINES:
        return (section.key,)
    return (contact_field(section, "name", 1), contact_field(section, "phone", 1))


def _start_answer(step: StartStep, form: Mapping[str, object]) -> list:
    section = SAFETY_PLAN.section(step.section)
    if section.kind == SectionKind.LINES:
        answer: list = _lines(section, form.get(section.key))
    else:
        name_field, phone_field = start_fields(step)
        name = clean_text(form.get(name_field), label=N_("name"),
                          max_length=CONTACT_NAME_MAX, required=False)
        phone = check_phone(form.get(phone_field))
        answer = [{"name": name, "phone": phone}] if name and phone else []
    if not answer:
        raise ProblemError(step.empty)
    return answer


def next_start_step(plan: Plan) -> StartStep | None:
    """The first step of the guided start whose section this safety plan has nothing
    in (the first for a plan not saved yet; None once all three are there)."""
    if plan.spec.kind != PlanKind.SAFETY:
        return None
    return next((step for step in SAFETY_START if not plan.content.get(step.section)), None)


def parse_plan(spec: PlanSpec, form: object) -> tuple[dict[str, list] | None, FieldErrors]:
    """The plan's content from its form, or None and a `Problem` per section."""
    if not isinstance(form, Mapping):
        return None, {"form": BAD_FORM}
    content: dict[str, list] = {}
    errors: FieldErrors = {}
    for section in spec.sections:
        try:
            content[section.key] = (_lines(section, form.get(section.key))
                                    if section.kind == SectionKind.LINES
                                    else _contacts(section, form))
        except ProblemError as error:
            errors[section.key] = error.problem
    return (None, errors) if errors else (content, {})


# --- reading and saving --------------------------------------------------------------

@dataclass(frozen=True)
class Plan:
    """A patient's plan as the screens show it (a new one has id 0 and the starting contacts)."""

    spec: PlanSpec
    id: int = 0
    version: int = 0
    updated_at: datetime | None = None
    content: dict[str, list] = field(default_factory=dict)

    def lines(self, key: str) -> list[str]:
        return [str(line) for line in self.content.get(key, [])]

    def contacts(self, key: str) -> list[Contact]:
        return [Contact(str(item.get("name", "")), str(item.get("phone", "")))
                for item in self.content.get(key, []) if isinstance(item, dict)]

    @property
    def is_empty(self) -> bool:
        return not any(self.content.get(section.key) for section in self.spec.sections)


def _starting_content(spec: PlanSpec) -> dict[str, list]:
    """A new plan's contacts (the crisis lines), named in the language of the event
    that makes it: once saved they are the patient's own words, to edit freely."""
    return {section.key: [{"name": _(c.name), "phone": c.phone} for c in section.starts_with]
            for section in spec.sections if section.starts_with}


def _plan_of(spec: PlanSpec, row: PersonalPlan | None) -> Plan:
    if row is None:
        return Plan(spec=spec, content=_starting_content(spec))
    return Plan(spec=spec, id=row.id, version=row.version, updated_at=row.updated_at,
                content=dict(row.content))


def _row(session: object, user_id: int, kind: PlanKind) -> PersonalPlan | None:
    return session.exec(select(PersonalPlan).where(
        PersonalPlan.user_id == user_id, PersonalPlan.kind == kind.value)).first()


def get_plan(user_id: int, kind: PlanKind) -> Plan:
    """The patient's plan, or a new one (stored only once saved)."""
    spec = PLANS[kind]
    with db.read() as session:
        return _plan_of(spec, _row(session, user_id, kind))


def has_plan(user_id: int, kind: PlanKind) -> bool:
    with db.read() as session:
        return _row(session, user_id, kind) is not None


def _parse_number(value: object) -> int | None:
    if value is None or value == "":
        return 0
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 12:
        return int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**12:
        return value
    return None


@dataclass(frozen=True)
class PlanSaveResult:
    plan: Plan | None = None
    errors: FieldErrors = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.plan is not None and not self.errors


def _ids(form: Mapping[str, object]) -> tuple[int, int] | PlanSaveResult:
    """The plan id and version the page started from ("" for a new plan), or a refusal."""
    plan_id, version = _parse_number(form.get("plan_id")), _parse_number(form.get("version"))
    if plan_id is None:
        return PlanSaveResult(errors={"form": PLAN_NOT_FOUND})
    if version is None:
        return PlanSaveResult(errors={"form": BAD_FORM})
    return plan_id, version


def save_plan(user_id: int, kind: object, form: object) -> PlanSaveResult:
    """Store the patient's plan from its form, all or nothing.

    The form carries `plan_id` and `version` as the page got them ("" for a new
    plan): an id that is not this patient's own plan of this kind is refused,
    and so is a version another device has moved on from.
    """
    try:
        spec = PLANS[PlanKind(kind)]
    except ValueError:
        return PlanSaveResult(errors={"form": BAD_FORM})
    if not isinstance(form, Mapping):
        return PlanSaveResult(errors={"form": BAD_FORM})
    ids = _ids(form)
    if isinstance(ids, PlanSaveResult):
        return ids
    content, errors = parse_plan(spec, form)
    if content is None:
        return PlanSaveResult(errors=errors)
    return _store(user_id, spec, *ids, lambda _stored: content)


def save_start_step(user_id: int, form: object) -> PlanSaveResult:
    """Store one step of the safety plan's guided start into the patient's plan.

    The form holds the step's number, its own answer and the plan's id and
    version (nothing else: any other field is refused). The answer replaces
    that section (for the people step, the first person), every other section
    stays as stored; a plan not saved yet is made, with the crisis lines as its
    professionals. Same rules as `save_plan`: this patient's own plan, the
    version it started from, a resend of the same step is one save.
    """
    if not isinstance(form, Mapping):
        return PlanSaveResult(errors={"form": BAD_FORM})
    step = start_step(form.get("step"))
    if step is None:
        return PlanSaveResult(errors={"form": BAD_FORM})
    if set(form) - _STEP_BOOKKEEPING - set(start_fields(step)):
        return PlanSaveResult(errors={"form": STEP_FIELDS_ONLY})
    ids = _ids(form)
    if isinstance(ids, PlanSaveResult):
        return ids
    try:
        answer = _start_answer(step, form)
    except ProblemError as error:
        return PlanSaveResult(errors={step.section: error.problem})

    contacts = SAFETY_PLAN.section(step.section).kind == SectionKind.CONTACTS

    def with_answer(stored: dict[str, list]) -> dict[str, list]:
        kept = stored.get(step.section, [])[1:] if contacts else []
        return {**stored, step.section: [*answer, *kept]}

    return _store(user_id, SAFETY_PLAN, *ids, with_answer)


def _store(user_id: int, spec: PlanSpec, plan_id: int, version: int,
           content_of: Callable[[dict[str, list]], dict[str, list]]) -> PlanSaveResult:
    """Save `content_of(what is stored)` (a new plan: its empty sections and starting
    contacts) if `plan_id` and `version` are still this patient's plan as stored."""
    try:
        return _store_once(user_id, spec, plan_id, version, content_of)
    except IntegrityError:
        # Two devices made this patient's first plan at once: the other one won.
        return PlanSaveResult(errors={"form": CHANGED_ELSEWHERE})


def _store_once(user_id: int, spec: PlanSpec, plan_id: int, version: int,
                content_of: Callable[[dict[str, list]], dict[str, list]]) -> PlanSaveResult:
    now = utcnow()
    with db.transaction() as session:
        row = _row(session, user_id, spec.kind)
        if plan_id and (row is None or row.id != plan_id):
            return PlanSaveResult(errors={"form": PLAN_NOT_FOUND})
        stored = (dict(row.content) if row is not None else
                  {**{section.key: [] for section in spec.sections}, **_starting_content(spec)})
        content = content_of(stored)
        if row is not None and (not plan_id or row.version != version):
            if row.content == content:
                return PlanSaveResult(plan=_plan_of(spec, row))  # the same save sent twice
            return PlanSaveResult(errors={"form": CHANGED_ELSEWHERE})
        if row is None:
            row = PersonalPlan(user_id=user_id, kind=spec.kind.value, content=content,
                               version=1, created_at=now, updated_at=now)
        else:
            row.content, row.version, row.updated_at = content, row.version + 1, now
        session.add(row)
        session.flush()
        # Writing the plan is reading it through: a "review your plan" homework counts it.
        _add_review(session, user_id, spec.kind.value,
                    str(uuid.uuid5(_REVIEW_KEYS, f"{row.id}:{row.version}")), now)
        return PlanSaveResult(plan=_plan_of(spec, row))


# Keys of the reviews a save records: one per plan version, so a resent save makes one.
_REVIEW_KEYS = uuid.UUID("5b0f1c8e-6c1d-4a57-9a55-2f0d6a1e7c31")


def _add_review(session: db.Session, user_id: int, kind: str, key: str,
                at: datetime) -> None:
    if session.exec(select(PlanReview.id).where(PlanReview.idempotency_key == key)).first():
        return
    zone = session.exec(select(User.time_zone).where(User.id == user_id)).one()
    session.add(PlanReview(user_id=user_id, idempotency_key=key, kind=kind, at=at,
                           local_date=local_date_of(at, zone)))


REVIEW_BACKDATE = timedelta(days=7)


def _read_at(raw: object, now: datetime) -> datetime:
    """When the phone says the plan was read (a tap kept offline is sent later), or now
    for a missing, unreadable or unlikely time."""
    if isinstance(raw, str) and len(raw) <= 40:
        try:
            moment = datetime.fromisoformat(raw.strip())
        except ValueError:
            return now
        if moment.utcoffset() is not None:
            moment = ensure_utc(moment)
            if now - REVIEW_BACKDATE <= moment <= now + PHONE_CLOCK_AHEAD:
                return min(moment, now)
    return now


def record_review(user_id: int, kind: object, raw_key: object,
                  raw_at: object = None) -> Problem | None:
    """The patient says they read their plan ("I read my plan today"): one
    `PlanReview` per idempotency key, on the patient's own day when they tapped
    (`raw_at`, the phone's time, so a tap made offline counts for its day). None
    when recorded (or already recorded with this key)."""
    try:
        kind = PlanKind(kind).value
    except ValueError:
        return BAD_FORM
    try:
        key = idempotency_key(raw_key, BAD_FORM.code)
    except ValueError:
        return BAD_FORM
    try:
        with db.transaction() as session:
            found = session.exec(select(PlanReview.user_id).where(
                PlanReview.idempotency_key == key)).first()
            if found is not None:
                return None if found == user_id else BAD_FORM
            _add_review(session, user_id, kind, key, _read_at(raw_at, utcnow()))
    except IntegrityError:
        return None  # the same key arrived twice at once: the first one is the review
    return None
