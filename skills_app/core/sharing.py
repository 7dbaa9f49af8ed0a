"""What a patient shares with which therapist, and the one check every therapist
read goes through.

- A therapist shows a connect code (8 letters and digits, 24 hours, single
  use; only its SHA-256 is stored). The patient enters it, sees who it
  belongs to, picks categories, reads the consent (every element 42 CFR
  Part 2 §2.31 asks, from `consent_text`) and signs by typing their name.
- The grant keeps the consent text's version and SHA-256, the categories, the
  signature, the time and an expiry (12 months by default). Changing
  categories is signing again (a new grant; the old one is revoked then);
  revoking ends it. Both take effect on the therapist's next event, because
  every therapist read asks `allowed_categories` again.
- `allowed_categories(therapist, patient, now)` is the only place that
  decides what a therapist may see of a patient: nothing unless the
  therapist is an active member of the grant's program and the grant is
  neither revoked nor expired.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import update
from sqlmodel import select

from skills_app import text
from skills_app.core import audit, db
from skills_app.core.clock import utcnow
from skills_app.core.diary import DIARY_CARD
from skills_app.core.models import (
    AddressAttempt,
    ConnectCode,
    Program,
    ProgramMember,
    ShareGrant,
    User,
)
from skills_app.core.problems import Problem, ProblemError
from skills_app.core.programs import active_membership
from skills_app.core.schemas import NAME_MAX, clean_text
from skills_app.text import N_, _


@dataclass(frozen=True)
class Category:
    """One thing a patient can share; its words are English message ids (show them
    with `_()`)."""

    key: str
    label: str
    # What it holds, named in the consent (§2.31 asks for a specific description).
    holds: str
    # One line on why sharing it helps, shown beside its box.
    why: str = ""
    substance_use: bool = False


# In the order the patient is asked: Safety first. Nothing is ticked for them.
CATEGORIES: tuple[Category, ...] = (
    Category("safety", N_("Safety"),
             N_("your urges to end your life, hurt yourself or quit therapy, and if you acted "
                "on them. Also any thoughts of death or self-harm you mark on the PHQ-9, and "
                "if you have a safety plan"),
             why=N_("Lets your therapist see when things get dangerous, so they can help "
                    "sooner.")),
    Category("mood", N_("Mood check-ins and emotions"),
             N_("your mood check-ins, emotion ratings, sleep hours and whether you took your "
                "medications")),
    Category("substance_use", N_("Substance use"),
             N_("your urge to use and if you used, your cravings, and what you used and how "
                "much. Also the targets you name yourself on the diary card"),
             why=N_("This is substance-use information. Federal law (42 CFR Part 2) gives it "
                    "extra protection."),
             substance_use=True),
    Category("exercises", N_("Skills and exercises"),
             N_("the skills you ticked, the exercises you finished and your answers in them")),
    Category("mindfulness", N_("Mindfulness"), N_("your mindfulness practice times")),
    Category("measures", N_("Check-ups (PHQ-9, GAD-7)"),
             N_("your questionnaire answers and scores")),
    Category("safety_plan", N_("Safety plan"), N_("what your safety plan says")),
    Category("notes", N_("Journal notes"), N_("the notes and triggers you write in your journal")),
    Category("homework", N_("Homework"),
             N_("whether you did what your therapist asked, done or not done, and any \"not "
                "for me this week\" note you leave. Your answers and ratings stay private "
                "unless you share their own kind too"),
             why=N_("Lets your therapist see how the practice they asked for is going.")),
)
CATEGORY_KEYS = tuple(category.key for category in CATEGORIES)
_BY_KEY = {category.key: category for category in CATEGORIES}

# Finer parts some categories also let a therapist see. `allowed_categories`
# returns the categories of a grant plus the parts they carry, read with the
# meaning of the consent version the patient signed.
ITEM9 = "phq9_item9"  # whether PHQ-9 item 9 was above 0
PLAN_EXISTS = "safety_plan_exists"  # whether a safety plan exists (not what it says)
PARTS = frozenset({ITEM9, PLAN_EXISTS})

CONSENT_VERSION = "2026-12.2"
# Each language's consent is its own text with its own version (and so its own
# SHA-256); a grant records which one was signed. Same meaning as CONSENT_VERSION.
CONSENT_VERSIONS: dict[str, str] = {"en": CONSENT_VERSION, "es": "2026-12.2-es"}
# The version before Homework was a category (issue 20). Nothing it could share
# changed meaning: its grants read like today's, without "homework".
CONSENT_VERSION_BEFORE_HOMEWORK = "2026-12.1"
CONSENT_VERSIONS_BEFORE_HOMEWORK: dict[str, str] = {"en": CONSENT_VERSION_BEFORE_HOMEWORK,
                                                    "es": "2026-12.1-es"}
# The version before Safety was a category of its own. Its "substance_use" held
# every urge; migration 0010 split those grants into "safety" + "substance_use",
# and "safety" under this version holds only what the old category did (the
# urges, acts and the entry's risk flag), never PHQ-9 item 9 or the plan's
# existence unless "measures" or "safety_plan" was shared too.
CONSENT_VERSION_BEFORE_SAFETY = "2026-11.1"
_SAFETY_PARTS = {"safety": frozenset({ITEM9, PLAN_EXISTS}), "measures": frozenset({ITEM9}),
                 "safety_plan": frozenset({PLAN_EXISTS})}
_PARTS_OF: dict[str, dict[str, frozenset[str]]] = {
    CONSENT_VERSION: _SAFETY_PARTS,
    CONSENT_VERSION_BEFORE_HOMEWORK: _SAFETY_PARTS,
    CONSENT_VERSION_BEFORE_SAFETY: {"measures": frozenset({ITEM9}),
                                    "safety_plan": frozenset({PLAN_EXISTS})},
}


# A translated consent means what its English version means.
_MEANING = {version: CONSENT_VERSION for version in CONSENT_VERSIONS.values()} | {
    version: CONSENT_VERSION_BEFORE_HOMEWORK
    for version in CONSENT_VERSIONS_BEFORE_HOMEWORK.values()}


def consent_language(language: object) -> str:
    """`language` when the consent is written in it, else English."""
    return language if isinstance(language, str) and language in CONSENT_VERSIONS \
        else text.SOURCE.code


def consent_version(language: str) -> str:
    """The version of the consent text in `language` (English when not translated)."""
    return CONSENT_VERSIONS.get(language, CONSENT_VERSION)


def shared_parts(categories: object, consent_version: str) -> frozenset[str]:
    """What a grant of these categories lets a therapist see: the known categories and
    the parts they carry under the consent version it was signed with (an unknown
    version carries no extra part)."""
    keys = frozenset(key for key in (categories if isinstance(categories, list | tuple)
                                     else ()) if key in _BY_KEY)
    parts_of = _PARTS_OF.get(_MEANING.get(consent_version, consent_version), {})
    return keys.union(*(parts_of.get(key, frozenset()) for key in keys))


def only_categories(shared: frozenset[str]) -> tuple[str, ...]:
    """The category keys among what is shared, in the app's order (no finer parts)."""
    return tuple(key for key in CATEGORY_KEYS if key in shared)


# --- the diary card's parts, by category ----------------------------------------------

# Which category each diary-card group belongs to. The urges group is split by
# item: suicide, self-harm and quitting therapy are safety (mental-health
# information); the urge to use is substance use (Part 2), and so are the
# targets a patient names themselves, because a named target may be about using
# and Part 2 is the stricter of the two.
OWN_ITEMS = "own"
DIARY_GROUP_CATEGORY: dict[str, str | dict[str, str]] = {
    "urges": {"urge_suicide": "safety", "urge_self_harm": "safety",
              "urge_quit_therapy": "safety", "urge_substance_use": "substance_use",
              OWN_ITEMS: "substance_use"},
    "emotions": "mood",
    "use": "substance_use",
    "mood": "mood",
    "sleep": "mood",
    "medication": "mood",
}
# The journal's lists beside the item columns.
JOURNAL_LIST_CATEGORY = {"custom_emotions": "mood", "custom_urges": "substance_use",
                         "risk_flag": "safety", "skills": "exercises"}


def diary_item_category(group: str, item_key: str = OWN_ITEMS) -> str | None:
    """The category of one diary-card item (or of a group's own items, the default);
    None when the declaration misses it (a test fails on that)."""
    category = DIARY_GROUP_CATEGORY.get(group)
    if isinstance(category, dict):
        return category.get(item_key)
    return category


GRANT_LIFETIME_DAYS = 365
CODE_LIFETIME = timedelta(hours=24)
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 8
CODE_TRIES_PER_WINDOW = 10
CODE_WINDOW = timedelta(minutes=15)
_CODE_ATTEMPT_KIND = "connect_code"

REDISCLOSURE_NOTICE = (
    "This record which has been disclosed to you is protected by federal confidentiality "
    "rules (42 CFR part 2). These rules prohibit you from using or disclosing this record, or "
    "testimony that describes the information contained in this record, in any civil, "
    "criminal, administrative, or legislative proceedings by any Federal, State, or local "
    "authority, against the patient, unless authorized by the consent of the patient, except "
    "as provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR "
    "2.64 or 2.65. In addition, the Federal rules prohibit you from making any further "
    "disclosure of this record unless authorized by the consent of the patient, or unless "
    "otherwise expressly permitted by 42 CFR part 2. A general authorization for the release "
    "of medical or other information is NOT sufficient for this purpose (see 42 CFR 2.31).")

# What went wrong, as facts (sentences in skills_app/text/words/account.py).
CODE_SHAPE = Problem("code_shape")
CODE_REFUSED = Problem("code_refused")
CODE_TOO_MANY = Problem("code_too_many")
NO_CATEGORIES = Problem("no_categories")
UNKNOWN_CATEGORY = Problem("unknown_category")
SIGN_NAME = Problem("sign_name")
CONSENT_CHANGED = Problem("consent_changed")
GRANT_NOT_FOUND = Problem("grant_not_found")
THERAPIST_INACTIVE = Problem("therapist_inactive")


def category_label(key: str) -> str:
    """The category's name in the current language."""
    return _(_BY_KEY[key].label)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def normalise_code(raw: object) -> str | None:
    """A typed code as stored (upper case, no spaces or dashes); None when it cannot be one."""
    if not isinstance(raw, str) or len(raw) > 32:
        return None
    code = "".join(ch for ch in raw.upper() if ch not in " -\t")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def show_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def parse_categories(raw: object) -> tuple[str, ...] | None:
    """Picked category keys in the app's order; None when any is not a category."""
    if not isinstance(raw, list | tuple) or len(raw) > len(CATEGORY_KEYS):
        return None
    if any(not isinstance(key, str) or key not in _BY_KEY for key in raw):
        return None
    return tuple(key for key in CATEGORY_KEYS if key in raw)


def visible_fields(shared: frozenset[str]) -> frozenset[str]:
    """Every field a therapist sees with these categories and parts, named
    "diary.<column>", "journal.<list>" or "<area>.<what>": the one answer to "what
    does this grant show", which the migration test compares before and after."""
    fields: set[str] = set()
    for item in DIARY_CARD.items:
        if diary_item_category(item.group, item.key) in shared:
            fields.add(f"diary.{item.key}")
            if item.acted_on:
                fields.add(f"diary.{item.acted_key}")
    fields |= {f"journal.{name}" for name, category in JOURNAL_LIST_CATEGORY.items()
               if category in shared}
    fields |= {field for key, field in _OTHER_FIELDS if key in shared}
    return frozenset(fields)


# What the other categories and parts show, beside the diary card.
_OTHER_FIELDS = (
    ("notes", "journal.note"), ("notes", "journal.triggers"),
    ("exercises", "practice.sessions"), ("mindfulness", "mindfulness.minutes"),
    ("measures", "measures.results"), (ITEM9, "measures.phq9_item9"),
    ("safety_plan", "plans.safety_plan"), (PLAN_EXISTS, "plans.safety_plan_exists"),
)


# --- consent text ------------------------------------------------------------

def consent_text(*, patient_name: str, therapist_name: str, program_name: str,
                 categories: tuple[str, ...], signed_on: date, expires_on: date,
                 language: str = text.SOURCE.code) -> str:
    """The exact consent a patient reads and signs, in `language` (version
    `consent_version(language)`; the English text is version CONSENT_VERSION).

    Holds every element of 42 CFR Part 2 §2.31: the patient's name; who
    discloses; a specific description of the information, naming
    substance-use information; the recipient and the purpose; the right to
    revoke and how; the expiry; the signature and date; that treatment does
    not depend on signing; and the notice that forbids redisclosure. The
    notice itself stays in English, the words the disclosed records carry.
    A translation's words come from the catalogue: tests pin each language's
    text (its SHA-256), so a changed translation needs a new version.
    """
    with text.language(language if language in CONSENT_VERSIONS else text.SOURCE.code) as code:
        shared = "\n".join(_("- {label}: {holds}.", label=_(_BY_KEY[key].label),
                             holds=_(_BY_KEY[key].holds)) for key in categories)
        safety = ("" if "safety" in categories else
                  _("Safety information (urges to end my life, to hurt myself or to quit "
                    "therapy) is NOT shared."))
        substance = (_("This includes substance-use information, which federal law (42 CFR "
                       "Part 2) protects.") if "substance_use" in categories else
                     _("Substance-use information (the urge to use, cravings and use) is NOT "
                       "shared."))
        homework = ("" if "homework" in categories else
                    _("Homework is NOT shared on its own. My therapist sees if I did what they "
                      "asked only for the kinds shared above."))
        not_shared = "\n".join(line for line in (safety, substance, homework) if line)
        return "\n\n".join([
            _("Consent to share my information (version {version})",
              version=consent_version(code)),
            _("My name: {name}", name=patient_name),
            _("Who shares it: the Skills Practice app, on my behalf."),
            _("Who gets it: {therapist}, a therapist at {program}.", therapist=therapist_name,
              program=program_name),
            _("Why: so {therapist} can help me in my treatment at {program}, for example by "
              "looking at my week before a session.", therapist=therapist_name,
              program=program_name),
            _("What is shared, from now until this consent ends:\n{shared}\n{not_shared}",
              shared=shared, not_shared=not_shared),
            _("Nothing else is shared. My therapist can see it but can never change it."),
            _("My treatment does not depend on signing this. I can say no and still get the "
              "same care."),
            _("I can change what I share or stop sharing at any time, in the app under More, "
              "then Sharing. It takes effect the next time my therapist opens the app. It "
              "cannot undo what they already saw."),
            _("This consent ends on {day}, unless I stop it sooner.",
              day=expires_on.isoformat()),
            _("The app is not watched all the time. If I am in danger I will call 988 or 911."),
            _("Any record shared under this consent carries this notice: {notice}",
              notice=REDISCLOSURE_NOTICE),
            _("Signed by typing my name, on {day}.", day=signed_on.isoformat()),
        ])


# --- connect codes --------------------------------------------------------------

def new_connect_code(therapist_user_id: int) -> tuple[str | None, datetime | None]:
    """A fresh code for an active therapist; (None, None) when they are not active."""
    now = utcnow()
    with db.transaction() as session:
        membership = active_membership(session, therapist_user_id)
        if membership is None:
            return None, None
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        session.add(ConnectCode(code_hash=_hash(code), therapist_user_id=therapist_user_id,
                                program_id=membership.program_id,
                                expires_at=now + CODE_LIFETIME))
    return code, now + CODE_LIFETIME


@dataclass(frozen=True)
class CodeOwner:
    therapist_user_id: int
    therapist_name: str
    program_id: int
    program_name: str


def _code_tries(session: db.Session, patient_id: int, now: datetime) -> int:
    return len(session.exec(select(AddressAttempt.id).where(
        AddressAttempt.kind == _CODE_ATTEMPT_KIND,
        AddressAttempt.address == f"user:{patient_id}",
        AddressAttempt.at > now - CODE_WINDOW)).all())


def _owner_of_code(session: db.Session, code: str, now: datetime) -> CodeOwner | None:
    row = session.exec(
        select(ConnectCode, User.display_name, Program.name)
        .join(User, User.id == ConnectCode.therapist_user_id)
        .join(Program, Program.id == ConnectCode.program_id)
        .where(ConnectCode.code_hash == _hash(code))
    ).first()
    if row is None or row[0].used_at is not None or row[0].expires_at <= now:
        return None
    membership = active_membership(session, row[0].therapist_user_id)
    if membership is None or membership.program_id != row[0].program_id:
        return None
    return CodeOwner(row[0].therapist_user_id, row[1], row[0].program_id, row[2])


def look_up_code(patient_id: int, raw: object) -> tuple[CodeOwner | None, Problem | None]:
    """Whose code this is (not using it up yet), or what is wrong with it. Wrong codes count
    toward a per-patient limit, so codes cannot be guessed."""
    code = normalise_code(raw)
    if code is None:
        return None, CODE_SHAPE
    now = utcnow()
    with db.transaction() as session:
        if _code_tries(session, patient_id, now) >= CODE_TRIES_PER_WINDOW:
            return None, CODE_TOO_MANY
        owner = _owner_of_code(session, code, now)
        if owner is None:
            session.add(AddressAttempt(kind=_CODE_ATTEMPT_KIND, address=f"user:{patient_id}",
                                       at=now))
            return None, CODE_REFUSED
    return owner, None


# --- consent and grants ------------------------------------------------------------

@dataclass(frozen=True)
class ConsentDraft:
    text: str
    sha256: str
    therapist_name: str
    program_name: str
    language: str = text.SOURCE.code


def _names(session: db.Session, patient_id: int, therapist_id: int,
           program_id: int) -> tuple[str, str, str] | None:
    patient = session.get(User, patient_id)
    therapist = session.get(User, therapist_id)
    program = session.get(Program, program_id)
    if not (patient and therapist and program):
        return None
    return patient.display_name, therapist.display_name, program.name


def draft_consent(patient_id: int, therapist_id: int, program_id: int,
                  categories: tuple[str, ...],
                  language: str = text.SOURCE.code) -> ConsentDraft | None:
    """The consent text for these choices in `language`, as it would be signed today."""
    today = utcnow().date()
    with db.read() as session:
        names = _names(session, patient_id, therapist_id, program_id)
    if names is None:
        return None
    patient_name, therapist_name, program_name = names
    language = consent_language(language)
    wording = consent_text(patient_name=patient_name, therapist_name=therapist_name,
                           program_name=program_name, categories=categories, signed_on=today,
                           expires_on=today + timedelta(days=GRANT_LIFETIME_DAYS),
                           language=language)
    return ConsentDraft(wording, _hash(wording), therapist_name, program_name, language)


@dataclass(frozen=True)
class SignResult:
    grant_id: int | None = None
    errors: dict[str, Problem] | None = None

    @property
    def ok(self) -> bool:
        return self.grant_id is not None


def _check_signature(raw: object, patient_name: str) -> tuple[str | None, Problem | None]:
    try:
        signature = clean_text(raw, label="name", max_length=NAME_MAX, name=True)
    except ProblemError as error:
        return None, SIGN_NAME if error.problem.code == "missing_text" else error.problem
    if " ".join(signature.split()).casefold() != " ".join(patient_name.split()).casefold():
        return None, Problem("name_differs", name=patient_name)
    return signature, None


def _sign(session: db.Session, *, patient_id: int, therapist_id: int, program_id: int,
          categories: object, signature: object, shown_sha256: object, language: str,
          now: datetime) -> SignResult:
    picked = parse_categories(categories)
    if picked is None:
        return SignResult(errors={"categories": UNKNOWN_CATEGORY})
    if not picked:
        return SignResult(errors={"categories": NO_CATEGORIES})
    names = _names(session, patient_id, therapist_id, program_id)
    membership = active_membership(session, therapist_id)
    if names is None or membership is None or membership.program_id != program_id:
        return SignResult(errors={"form": THERAPIST_INACTIVE})
    patient_name, therapist_name, program_name = names
    typed, problem = _check_signature(signature, patient_name)
    if typed is None:
        return SignResult(errors={"signature": problem})
    today = now.date()
    expires = now + timedelta(days=GRANT_LIFETIME_DAYS)
    language = consent_language(language)
    wording = consent_text(patient_name=patient_name, therapist_name=therapist_name,
                           program_name=program_name, categories=picked, signed_on=today,
                           expires_on=expires.date(), language=language)
    if shown_sha256 != _hash(wording):
        return SignResult(errors={"form": CONSENT_CHANGED})
    session.execute(update(ShareGrant).where(
        ShareGrant.patient_id == patient_id, ShareGrant.therapist_id == therapist_id,
        ShareGrant.revoked_at.is_(None)).values(revoked_at=now))
    grant = ShareGrant(patient_id=patient_id, therapist_id=therapist_id, program_id=program_id,
                       categories=list(picked), consent_version=consent_version(language),
                       consent_language=language, consent_sha256=_hash(wording),
                       signature=typed, signed_at=now, expires_at=expires)
    session.add(grant)
    session.flush()
    return SignResult(grant_id=grant.id)


class _Rollback(Exception):
    def __init__(self, result: SignResult) -> None:
        self.result = result


def sign_with_code(patient_id: int, raw_code: object, categories: object, signature: object,
                   shown_sha256: object, language: str = text.SOURCE.code) -> SignResult:
    """Use a connect code and store the grant signed on the consent in `language`, in
    one transaction."""
    code = normalise_code(raw_code)
    if code is None:
        return SignResult(errors={"code": CODE_SHAPE})
    now = utcnow()
    try:
        with db.transaction() as session:
            owner = _owner_of_code(session, code, now)
            if owner is None:
                return SignResult(errors={"code": CODE_REFUSED})
            used = session.execute(
                update(ConnectCode).where(ConnectCode.code_hash == _hash(code),
                                          ConnectCode.used_at.is_(None))
                .values(used_at=now, used_by_user_id=patient_id)).rowcount
            if not used:
                return SignResult(errors={"code": CODE_REFUSED})
            result = _sign(session, patient_id=patient_id,
                           therapist_id=owner.therapist_user_id, program_id=owner.program_id,
                           categories=categories, signature=signature,
                           shown_sha256=shown_sha256, language=language, now=now)
            if not result.ok:
                raise _Rollback(result)  # the code stays usable
            return result
    except _Rollback as rollback:
        return rollback.result


def _own_grant(session: db.Session, patient_id: int, grant_id: object,
               now: datetime) -> ShareGrant | None:
    grant_id = _as_id(grant_id) if isinstance(grant_id, int) else None
    if grant_id is None:
        return None
    grant = session.get(ShareGrant, grant_id)
    if (grant is None or grant.patient_id != patient_id or grant.revoked_at is not None
            or grant.expires_at <= now):
        return None
    return grant


def change_grant(patient_id: int, grant_id: object, categories: object, signature: object,
                 shown_sha256: object, language: str = text.SOURCE.code) -> SignResult:
    """New categories for an existing sharing: signed again, the old grant revoked."""
    now = utcnow()
    try:
        with db.transaction() as session:
            grant = _own_grant(session, patient_id, grant_id, now)
            if grant is None:
                return SignResult(errors={"form": GRANT_NOT_FOUND})
            result = _sign(session, patient_id=patient_id, therapist_id=grant.therapist_id,
                           program_id=grant.program_id, categories=categories,
                           signature=signature, shown_sha256=shown_sha256, language=language,
                           now=now)
            if not result.ok:
                raise _Rollback(result)
            return result
    except _Rollback as rollback:
        return rollback.result


def revoke(patient_id: int, grant_id: object) -> Problem | None:
    """Stop a sharing now; None when done, else what is wrong."""
    now = utcnow()
    with db.transaction() as session:
        grant = _own_grant(session, patient_id, grant_id, now)
        if grant is None:
            return GRANT_NOT_FOUND
        grant.revoked_at = now
        session.add(grant)
    return None


@dataclass(frozen=True)
class GrantRow:
    grant_id: int
    therapist_id: int
    therapist_name: str
    program_id: int
    program_name: str
    categories: tuple[str, ...]
    signed_at: datetime
    expires_at: datetime
    consent_version: str = CONSENT_VERSION

    @property
    def before_safety(self) -> bool:
        """Signed before Safety was its own choice: its "safety" is narrower (see
        `_PARTS_OF`), so the patient's list says so."""
        return self.consent_version == CONSENT_VERSION_BEFORE_SAFETY and "safety" in \
            self.categories


def grants_of_patient(patient_id: int) -> list[GrantRow]:
    """The patient's current sharings (not revoked, not expired)."""
    now = utcnow()
    with db.read() as session:
        rows = session.exec(
            select(ShareGrant, User.display_name, Program.name)
            .join(User, User.id == ShareGrant.therapist_id)
            .join(Program, Program.id == ShareGrant.program_id)
            .where(ShareGrant.patient_id == patient_id, ShareGrant.revoked_at.is_(None),
                   ShareGrant.expires_at > now)
            .order_by(ShareGrant.signed_at)).all()
    return [GrantRow(g.id, g.therapist_id, name, g.program_id, program,
                     tuple(k for k in CATEGORY_KEYS if k in g.categories), g.signed_at,
                     g.expires_at, g.consent_version) for g, name, program in rows]


# --- the one check ------------------------------------------------------------------

def allowed_categories(therapist_user_id: int, patient_user_id: int,
                       now: datetime) -> frozenset[str]:
    """What this therapist may see of this patient right now (empty: nothing): the
    shared category keys plus the finer parts they carry (`shared_parts`).

    Every therapist read asks this first, on every event: a revoked or expired
    grant, a deactivated therapist, or a therapist of another program gets an
    empty set at their next event.
    """
    with db.read() as session:
        return _allowed(session, therapist_user_id, patient_user_id, now)


def _allowed(session: db.Session, therapist_user_id: int, patient_user_id: int,
             now: datetime) -> frozenset[str]:
    row = session.exec(
        select(ShareGrant.categories, ShareGrant.consent_version)
        .join(ProgramMember, (ProgramMember.program_id == ShareGrant.program_id)
              & (ProgramMember.user_id == ShareGrant.therapist_id))
        .where(ShareGrant.therapist_id == therapist_user_id,
               ShareGrant.patient_id == patient_user_id,
               ShareGrant.revoked_at.is_(None), ShareGrant.expires_at > now,
               ProgramMember.active.is_(True))
        .order_by(ShareGrant.signed_at.desc())
    ).first()
    return shared_parts(row[0], row[1]) if row else frozenset()


@dataclass(frozen=True)
class Access:
    """The outcome of a therapist's attempt to read one patient."""

    patient_id: int | None
    categories: frozenset[str]
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return not self.reason


def therapist_reads(therapist_user_id: int, raw_patient_id: object, action: str,
                    needs: frozenset[str] = frozenset(),
                    report_id: str | None = None) -> Access:
    """Check a therapist's read of one patient and write its audit row, allowed or not.

    `needs`: categories without which the read shows nothing (the diary card
    review needs at least one of them). The row names only the categories
    actually used for the page.
    """
    patient_id = _as_id(raw_patient_id)
    now = utcnow()
    with db.transaction() as session:
        if patient_id is None or session.get(User, patient_id) is None:
            audit.record(session, actor_id=therapist_user_id, patient_id=None,
                         action=action, allowed=False, reason="unknown_patient", at=now)
            return Access(None, frozenset(), "unknown_patient")
        if active_membership(session, therapist_user_id) is None:
            reason = "inactive"
            allowed: frozenset[str] = frozenset()
        else:
            allowed = _allowed(session, therapist_user_id, patient_id, now)
            reason = ("no_grant" if not allowed
                      else "category" if needs and not (needs & allowed) else "")
        used = (needs & allowed if needs else allowed) if not reason else frozenset()
        audit.record(session, actor_id=therapist_user_id, patient_id=patient_id,
                     action=action, categories=only_categories(used), allowed=not reason,
                     reason=reason,
                     report_id=report_id if not reason else None, at=now)
    return Access(patient_id, used, reason)


def record_refusal(actor_id: int | None, raw_patient_id: object, action: str,
                   reason: str, address: str | None = None) -> None:
    """Log an attempt refused before any check of a grant (no session, not a therapist,
    deactivated) against the caller; on the patient's trail only when the caller is
    related to them (`audit.related`), else in the rate-limited security log
    (`address`: the client's, for callers not signed in)."""
    patient_id = _as_id(raw_patient_id)
    with db.transaction() as session:
        if patient_id is not None and session.get(User, patient_id) is None:
            patient_id = None
        audit.record(session, actor_id=actor_id, patient_id=patient_id, action=action,
                     allowed=False, reason=reason, address=address)


def patient_id_or_zero(raw: object) -> int:
    """A patient id as a page asked for it (0 when it cannot be one)."""
    return _as_id(raw) or 0


def _as_id(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 12:
        raw = int(raw)
    return raw if isinstance(raw, int) and 0 < raw < 2**53 else None


def caseload(therapist_user_id: int, action: str = "dashboard"
             ) -> list[tuple[int, str, str, frozenset[str]]]:
    """(patient id, name, time zone, allowed categories) of every patient sharing with this
    therapist now, each read audited; empty for an inactive therapist.

    One transaction for the whole list (one commit, not one per patient); each
    patient's categories come from `allowed_categories`' own rule.
    """
    now = utcnow()
    with db.transaction() as session:
        if active_membership(session, therapist_user_id) is None:
            return []
        patients = session.exec(
            select(User.id, User.display_name, User.time_zone)
            .join(ShareGrant, ShareGrant.patient_id == User.id)
            .where(ShareGrant.therapist_id == therapist_user_id,
                   ShareGrant.revoked_at.is_(None), ShareGrant.expires_at > now)
            .distinct()).all()
        result = []
        for patient_id, name, zone in patients:
            allowed = _allowed(session, therapist_user_id, patient_id, now)
            if allowed:
                audit.record(session, actor_id=therapist_user_id, patient_id=patient_id,
                             action=action, categories=only_categories(allowed),
                             allowed=True, at=now)
                result.append((patient_id, name, zone, allowed))
    return sorted(result, key=lambda row: row[1].casefold())
