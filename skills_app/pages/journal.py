"""Journal screens: the week (list and diary-card grid) and the diary-card editor.

Built once per language (`localized.add_page`): `_()` here speaks the page's
language, and the diary card's own words (`core.diary`) are translated where
they are placed.
"""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.forms import draft_fields
from skills_app.components.journal import (
    checkbox,
    clearable_choice,
    error_for,
    mood_face,
    mood_picker,
    rating_scale,
    scale_ends,
)
from skills_app.components.layout import delete_dialog, patient_shell
from skills_app.components.risk import nobody_watches, risk_prompts
from skills_app.content.skills import DBT_MODULES
from skills_app.core import diary, journal
from skills_app.core.card_choice import OPTIONAL_GROUPS
from skills_app.core.diary import MOOD, Scale
from skills_app.core.journal.html_form import SKILL_PREFIX
from skills_app.pages import localized
from skills_app.state.journal import RESULTS_ID, EntryEditorState, JournalState
from skills_app.text import N_, _, ngettext

E = EntryEditorState


# How the editor lays out the card: sections in the order a hard evening needs them
# (key, title, groups, open at first). The mood group sits on a card of its own at
# the top; a group not listed here gets a closed section of its own after these.
_SECTIONS = (
    ("urges", N_("Urges and what you did"), ("urges",), True),
    ("emotions", N_("Emotions"), ("emotions",), True),
    ("body", N_("Craving, use, medication, sleep"), ("use", "medication", "sleep"), False),
)
# The patient's own items: what the free row for one more is called, and an example.
_ANOTHER = {"emotion": (N_("Another emotion today (optional)"), N_("e.g. lonely"),
                        N_("another emotion")),
            "urge": (N_("Another target today (optional)"), N_("e.g. skipping meals"),
                     N_("another target"))}


def _own_ends(noun: str) -> str:
    """An own emotion is rated like the card's emotions; an own target may be a
    behaviour ("skipping meals"), so it keeps the plain "0 = none" ends."""
    if noun != "emotion":
        return ""
    return next(scale_ends(item) for item in diary.DIARY_CARD.items
                if item.group == "emotions")


def _acted(name: str | rx.Var) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, default_checked=E.defaults[name] == "on"),
        rx.el.span(_("I acted on it")),
        class_name="check acted",
        custom_attrs={"data-fold-acted": "true"},
    )


def _text_input(name: str, label: str, max_length: int, *, type_: str = "text",
                hint: str = "", **props: object) -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=name, class_name="field-label"),
        rx.el.p(hint, class_name="field-hint", id=f"{name}-hint") if hint else rx.fragment(),
        rx.el.input(id=name, name=name, type=type_, max_length=max_length,
                    default_value=E.defaults[name].to(str), class_name="field-input",
                    aria_describedby=f"{name}-error" + (f" {name}-hint" if hint else ""),
                    **props),
        error_for(E.errors, name),
        class_name="field",
    )


def _item_field(item: diary.DiaryItem, *, hint_shown: bool = True) -> rx.Component:
    """The editor's question for one item of the diary card; `hint_shown=False` when
    its section shows what the scale's ends mean once for all its items."""
    asked = _(item.asked)
    if item.scale == Scale.RATING:
        field = rating_scale(item.key, asked, item.top, E.defaults, E.errors,
                             ends=scale_ends(item), higher_is_better=item.higher_is_better,
                             extra=_acted(item.acted_key) if item.acted_on else None,
                             hint_shown=hint_shown)
        if item.acted_on:
            field = rx.fragment(field, error_for(E.errors, item.acted_key))
    elif item.scale == Scale.YES_NO:
        field = clearable_choice(item.key, asked,
                                 [("yes", _("Yes"), _("{question}: yes", question=asked)),
                                  ("no", _("No"), _("{question}: no", question=asked))],
                                 E.defaults, E.errors)
    elif item.scale == Scale.HOURS:
        field = _text_input(item.key, asked, 5, input_mode="decimal",
                            hint=_("Like 7 or 6.5"))
    else:
        field = _text_input(item.key, asked, item.top)
    if item.group in OPTIONAL_GROUPS:  # the patient may have left it off their card
        return rx.cond(E.hidden_items.contains(item.key), rx.fragment(), field)
    return field


def _own_rating(noun: str, n: rx.Var, top: int, *, name: rx.Var | None = None,
                labelled_by: rx.Var | None = None) -> rx.Component:
    """A 0..top rating of one of the patient's own items, in row `n` of the form.

    A named item (from their card settings) is labelled by its name, once; the
    free row is labelled by its name field's label instead.
    """
    return rating_scale(
        f"custom_{noun}_rating_" + n, name if name is not None else _(_ANOTHER[noun][2]), top,
        E.defaults, E.errors, higher_is_better=False if noun == "urge" else None,
        labelled_by=labelled_by, ends=_own_ends(noun),
        extra=_acted("custom_urge_acted_" + n) if noun == "urge" else None,
        # An own emotion's ends are the emotions section's, shown once at its top.
        hint_shown=noun != "emotion")


def _kept_own_item(noun: str, top: int, name: rx.Var, index: rx.Var) -> rx.Component:
    n = (index + 1).to_string()
    return rx.el.div(
        # From the patient's card settings: a draft never overwrites them.
        rx.el.input(type="hidden", name=f"custom_{noun}_name_" + n, value=name,
                    read_only=True, custom_attrs={"data-server-value": "true"}),
        rx.el.input(type="hidden", name=f"custom_{noun}_kept_" + n, value="1",
                    read_only=True, custom_attrs={"data-server-value": "true"}),
        _own_rating(noun, n, top, name=name),
        class_name="custom-item",
    )


def _kept_own_items(group: diary.DiaryGroup) -> rx.Component:
    """The patient's own items of this group, which their card asks every time: first
    in their section (they chose them)."""
    noun = group.own_items
    kept = E.own_emotions if noun == "emotion" else E.own_targets
    return rx.foreach(kept, lambda name, index: _kept_own_item(noun, group.own_top, name, index))


def _another_own_item(group: diary.DiaryGroup) -> list[rx.Component]:
    """A free row for one more of the patient's own items today, after the card's items."""
    noun = group.own_items
    kept = E.own_emotions if noun == "emotion" else E.own_targets
    n = (kept.length() + 1).to_string()
    label, example, _unused = _ANOTHER[noun]
    name_field = f"custom_{noun}_name_" + n
    free_row = rx.el.div(
        rx.el.label(_(label), html_for=name_field, class_name="field-label",
                    id=name_field + "-label"),
        rx.el.input(id=name_field, name=name_field, max_length=journal.CUSTOM_NAME_MAX,
                    class_name="field-input", default_value=E.defaults[name_field].to(str),
                    placeholder=_(example),
                    # Names the rating in a fold's summary (assets/diary_card.js).
                    custom_attrs={"data-fold-name": "true"}),
        _own_rating(noun, n, group.own_top, labelled_by=name_field + "-label"),
        class_name="custom-item",
    )
    return [
        rx.cond(kept.length() < journal.CUSTOM_ITEMS_MAX, free_row),
        error_for(E.errors, f"custom_{noun}s"),
    ]


def _section(key: str, title: str, *children: rx.Component, open_: bool = True,
             hint: str = "", nested: bool = False) -> rx.Component:
    """A fold of the card. Its title carries a line of what is filled in it, written by
    assets/diary_card.js ("Sadness 3, Fear 2"); `hint` says once what its scales' ends
    mean. data-section: assets/app.js remembers, per person, which sections are open."""
    return rx.el.details(
        rx.el.summary(
            rx.el.span(rx.el.span(_(title)),
                       rx.el.span(class_name="fold-summary",
                                  custom_attrs={"data-fold-summary": ""}),
                       class_name="fold-text"),
            class_name="section-title",
        ),
        rx.el.div(rx.el.p(hint, class_name="field-hint") if hint else rx.fragment(),
                  *children, class_name="section-body stack"),
        open=open_,
        class_name="skill-module form-section" if nested else "card form-section",
        custom_attrs={"data-section": key, "data-fold-acted-word": _("acted on it")},
    )


def _shared_ends(group: diary.DiaryGroup) -> str:
    """What the scales of a group's items mean, when they all mean the same ("" if not)."""
    ends = {scale_ends(item) for item in diary.DIARY_CARD.items_of(group)
            if item.scale == Scale.RATING}
    return ends.pop() if len(ends) == 1 else ""


def _diary_card_fields() -> list[rx.Component]:
    """The card's items in the order a hard evening needs them: mood on top, then
    urges and what was done, the emotions this patient tracks, and the rest. In each
    section the patient's own items come first, the card's next, one more last."""
    card = diary.DIARY_CARD
    top = rx.el.div(*[
        mood_picker(E.defaults, E.errors, legend=_(item.asked)) if item.key == MOOD
        else _item_field(item) for item in card.items_of(card.group(MOOD))], class_name="card")
    placed = {group for _, _, groups, _ in _SECTIONS for group in groups} | {MOOD}
    sections = [*_SECTIONS, *((group.key, group.title, (group.key,), False)
                              for group in card.groups_as_filled() if group.key not in placed)]
    fields = []
    for key, title, groups, open_ in sections:
        children: list[rx.Component] = []
        hint = _shared_ends(card.group(groups[0])) if len(groups) == 1 else ""
        for group in (card.group(name) for name in groups):
            children += [_kept_own_items(group)] if group.own_items else []
            children += [_item_field(item, hint_shown=not hint) for item in card.items_of(group)]
            children += _another_own_item(group) if group.own_items else []
        if key == "emotions":
            children.append(rx.el.a(_("Choose the emotions and targets your card asks"),
                                    href=text.href("/journal/card/"),
                                    class_name="inline-link"))
        fields.append(_section(key, title, *children, open_=open_, hint=hint))
        if key == "emotions":
            fields.append(_skills())  # ticked most evenings: before the rarer items
    return [top, *fields, _triggers_and_note()]


def _skills() -> rx.Component:
    """Skills by module, each module folded with the skills ticked in its title."""
    return _section(
        "skills", N_("Skills I used"),
        rx.cond(E.practised_note != "", rx.el.p(E.practised_note, class_name="field-hint",
                                                 id="practised-note")),
        rx.el.div(*[_section(
            f"skills-{module.key}", module.name,
            rx.el.div(*[checkbox(f"{SKILL_PREFIX}{skill.key}", _(skill.name), E.defaults,
                                 hint=_(skill.hint) if skill.hint else "")
                        for skill in module.skills], class_name="check-grid"),
            open_=False, nested=True,
        ) for module in DBT_MODULES], class_name="skill-modules"),
        error_for(E.errors, "skills"),
        open_=False,
    )


def _triggers_and_note() -> rx.Component:
    return _section(
        "notes", N_("Triggers and notes"),
        rx.el.div(
            rx.el.label(_("Triggers"), html_for="triggers", class_name="field-label"),
            rx.el.p(_("Separate with commas. Tap one you used before to add it."),
                    class_name="field-hint", id="triggers-hint"),
            rx.el.input(id="triggers", name="triggers", class_name="field-input",
                        default_value=E.defaults["triggers"].to(str), max_length=460,
                        aria_describedby="triggers-error triggers-hint"),
            rx.el.div(rx.foreach(E.tags, lambda tag: rx.el.button(
                tag, type="button", class_name="chip",
                custom_attrs={"data-add-tag": tag, "data-target": "triggers"})),
                class_name="chips"),
            error_for(E.errors, "triggers"),
            class_name="field",
        ),
        rx.el.div(
            rx.el.label(_("Notes"), html_for="note", class_name="field-label"),
            rx.el.p(_("Private to you unless you choose to share notes later."),
                    class_name="field-hint", id="note-hint"),
            rx.el.textarea(id="note", name="note", rows=6, class_name="field-input",
                           default_value=E.defaults["note"].to(str),
                           aria_describedby="note-error note-client-error note-hint",
                           custom_attrs={"data-max-chars": str(journal.NOTE_MAX),
                                         "data-label": _("note")}),
            error_for(E.errors, "note"),
            rx.el.p(id="note-client-error", class_name="field-error", aria_live="polite"),
            class_name="field",
        ),
        open_=False,
    )


def _conflict_panel() -> rx.Component:
    c = E.conflict
    return rx.cond(
        c.length() > 0,
        rx.el.section(
            ty.heading(_("This entry changed on another device"), as_="h2", size="5"),
            ty.text(_("Both versions are kept below. Choose the one to keep.")),
            rx.el.div(
                rx.el.div(ty.heading(_("Saved from the other device"), as_="h3", size="3"),
                          ty.text(c["stored_mood"]), ty.text(c["stored_summary"]),
                          rx.el.p(c["stored_note"], class_name="note-text",
                                  id="conflict-stored-note"),
                          class_name="conflict-side"),
                rx.el.div(ty.heading(_("Yours, on this device"), as_="h3", size="3"),
                          ty.text(c["mine_mood"]), ty.text(c["mine_summary"]),
                          rx.el.p(c["mine_note"], class_name="note-text",
                                  id="conflict-mine-note"),
                          class_name="conflict-side"),
                class_name="conflict-grid",
            ),
            rx.el.div(
                rx.el.button(_("Keep mine"), type="button", class_name="primary-button",
                             on_click=E.keep_mine),
                rx.el.button(_("Keep the other version"), type="button",
                             class_name="secondary-button", on_click=E.keep_theirs),
                class_name="button-row",
            ),
            class_name="card conflict stack",
            role="alert",
            id="conflict",
        ),
    )


def _triggers_line(triggers: rx.Var) -> rx.Var | str:
    """"Triggers: work, sleep": the patient's tags, as they typed them."""
    return localized.sentence(_("Triggers: {triggers}"), triggers=triggers)


def _saved_panel() -> rx.Component:
    """The card just saved, in place of the form: what was kept, and where to go next."""
    v = E.saved_view
    return rx.cond(
        v.length() > 0,
        rx.el.section(
            ty.heading(v["heading"], as_="h2", size="5", id="saved-heading"),
            rx.cond(v["mood"] != "", rx.el.div(mood_face(v["mouth"], size=36),
                                               rx.el.p(v["mood"]), class_name="entry-head")),
            rx.el.p(v["summary"]),
            rx.cond(v["note"] != "", rx.el.p(v["note"], class_name="note-text")),
            rx.cond(v["triggers"] != "",
                    rx.el.p(_triggers_line(v["triggers"]), class_name="muted")),
            rx.el.div(
                rx.el.a(_("Back to journal"), href=text.href("/journal/"),
                        class_name="primary-button"),
                rx.el.a(_("Edit"), href=v["edit_href"], class_name="secondary-button"),
                rx.el.button(_("New diary card"), type="button", class_name="secondary-button",
                             on_click=E.start_new_card),
                class_name="button-row",
            ),
            class_name="card saved-view stack",
            id="saved-view",
            aria_labelledby="saved-heading",
            tab_index=-1,
            custom_attrs={"data-reveal-on-show": "true"},
        ),
    )


def editor_page() -> rx.Component:
    return patient_shell(
        rx.el.a(_("← Journal"), href=text.href("/journal/"), class_name="back-link"),
        risk_prompts(),
        _conflict_panel(),
        rx.el.p(E.saved_message, class_name="saved", role="status", id="saved"),
        _saved_panel(),
        nobody_watches(id_="diary-nobody-watches"),
        rx.el.form(
            rx.el.div(E.errors["form"].to(str), class_name="form-status", role="alert"),
            draft_fields(
                rx.el.input(type="hidden", name="version", value=E.version, read_only=True),
                # The day of the tap on Save, filled by assets/safety.js (risk.TODAY).
                rx.el.input(type="hidden", name="today"),
                *_diary_card_fields(),
                rx.el.div(
                    rx.el.button(_("Save diary card"), type="submit",
                                 class_name="primary-button", id="save-entry"),
                    rx.el.p(class_name="draft-status", aria_live="polite",
                            custom_attrs={"data-draft-status": "diary"}),
                    class_name="save-bar",
                ),
                owner=E.draft_owner,
            ),
            key=E.form_key,
            id="diary-form",
            on_submit=E.save_diary,
            # Hidden, not removed, once saved: it still confirms the draft (data-saved-key).
            hidden=E.saved_view.length() > 0,
            # assets/safety.js shows the risk prompts these values call for, at Save,
            # for the day the card is for (core/risk.py: "call 911 now" is for today).
            custom_attrs={"data-draft": E.draft_name, "data-saved-key": E.saved_key,
                          "data-risk-form": "true", "data-entry-day": E.entry_day,
                          "data-time-zone": E.time_zone},
            class_name="stack",
        ),
        title=rx.cond(E.entry_id != "", _("Edit diary card"), _("Diary card")),
        active="journal",
    )


def _entry(row: rx.Var) -> rx.Component:
    return rx.fragment(
        rx.cond(row["day_header"] != "",
                ty.heading(row["day_header"], as_="h3", size="4", class_name="day-header")),
        rx.el.article(
            rx.el.div(
                rx.cond(row["face"] != "", mood_face(row["face"], size=36)),
                rx.el.div(
                    rx.el.p(rx.el.strong(row["kind"]), " · ", row["time"], class_name="entry-meta"),
                    rx.cond(row["mood"] != "", rx.el.p(row["mood"])),
                    class_name="entry-head-text",
                ),
                class_name="entry-head",
            ),
            rx.el.p(row["summary"], class_name="muted"),
            rx.cond(row["note"] != "", rx.el.p(row["note"], class_name="note-text")),
            rx.cond(row["triggers"] != "",
                    rx.el.p(_triggers_line(row["triggers"]), class_name="muted")),
            rx.el.div(
                rx.cond(row["edit_href"] != "",
                        rx.el.a(_("Edit"), href=row["edit_href"], class_name="small-button")),
                rx.el.button(_("Delete"), type="button", class_name="small-button danger",
                             on_click=JournalState.ask_delete(row["id"])),
                class_name="button-row",
            ),
            class_name="card entry",
            custom_attrs={"data-entry-id": row["id"]},
        ),
    )


def _week_grid() -> rx.Component:
    """The diary-card grid, folded under the entries with the week in one line."""
    return rx.el.details(
        rx.el.summary(
            rx.el.span(rx.el.span(_("Diary card grid")),
                       rx.el.span(JournalState.grid_summary, class_name="fold-summary"),
                       class_name="fold-text"),
            class_name="section-title",
        ),
        rx.el.div(rx.el.div(
            rx.el.table(
                rx.el.caption(_("Diary card for the week"), rx.el.small(
                    _("Highest rating of each day. A: acted on that urge."))),
                rx.el.thead(rx.el.tr(
                    rx.el.th(_("Item"), scope="col"),
                    rx.foreach(JournalState.grid_days, lambda day: rx.el.th(day, scope="col")),
                )),
                rx.el.tbody(rx.foreach(JournalState.grid_rows, lambda row: rx.fragment(
                    rx.cond(row["group"] != "", rx.el.tr(
                        rx.el.th(row["group"], col_span=8, scope="colgroup",
                                 class_name="group-row"))),
                    rx.el.tr(
                        rx.el.th(row["label"], scope="row"),
                        *[rx.el.td(row[f"d{i}"], class_name=row[f"c{i}"]) for i in range(7)],
                    ),
                ))),
                class_name="week-grid",
            ),
            class_name="grid-scroll",
            tab_index=0,
            role="region",
            aria_label=_("Diary card week grid"),
        ), class_name="section-body"),
        class_name="card form-section fold",
        id="week-grid",
        # Remembered open or closed per person, like the diary card's sections.
        custom_attrs={"data-section": "journal-grid"},
    )


def _search() -> rx.Component:
    return rx.el.details(rx.el.summary(_("Search notes and triggers"),
                                       class_name="section-title"),
                         rx.el.div(_search_form(), class_name="section-body"),
                         open=JournalState.searching,
                         class_name="card form-section fold")


def _search_form() -> rx.Component:
    return rx.el.form(
        rx.el.div(
            rx.el.label(_("Search notes"), html_for="journal-search",
                        class_name="field-label"),
            rx.el.input(id="journal-search", name="q", type="search",
                        max_length=journal.SEARCH_TEXT_MAX,
                        class_name="field-input"),
            class_name="field",
        ),
        rx.el.div(
            rx.el.label(_("Trigger"), html_for="journal-tag", class_name="field-label"),
            rx.el.select(rx.el.option(_("Any trigger"), value=""),
                         rx.foreach(JournalState.tags, lambda tag: rx.el.option(tag, value=tag)),
                         id="journal-tag", name="tag", class_name="field-input"),
            class_name="field",
        ),
        rx.el.div(
            rx.el.button(_("Search"), type="submit", class_name="secondary-button"),
            rx.cond(JournalState.searching,
                    rx.el.button(_("Show the week"), type="button",
                                 class_name="secondary-button",
                                 on_click=JournalState.clear_search)),
            class_name="button-row",
        ),
        on_submit=JournalState.search,
        class_name="stack search",
        role="search",
    )


def _delete_dialog() -> rx.Component:
    return delete_dialog(
        JournalState.confirm_delete_id != "",
        rx.fragment(_("Delete this entry?")),
        rx.fragment(localized.sentence(
            ngettext("Your {entry}. You can undo this for {n} second.",
                     "Your {entry}. You can undo this for {n} seconds.",
                     journal.UNDO_WINDOW.seconds, entry="{entry}"),
            entry=JournalState.confirm_delete_named)),
        JournalState.delete_entry, JournalState.cancel_delete)


def _undo_bar() -> rx.Component:
    return rx.cond(
        JournalState.undo_id != "",
        rx.el.div(
            rx.el.span(localized.sentence(_("Entry deleted. {seconds} s to undo."),
                                          seconds=JournalState.undo_seconds)),
            rx.el.button(_("Undo"), type="button", class_name="small-button",
                         on_click=JournalState.undo_delete),
            class_name="undo-bar",
            role="status",
        ),
    )


def journal_page() -> rx.Component:
    # The list comes first. Until the week is read, a neutral line holds its place and
    # nothing is drawn under it, so nothing moves when the entries arrive.
    return patient_shell(
        rx.el.div(
            rx.el.a(_("+ New diary card"), href=text.href("/journal/new/"),
                    class_name="primary-button"),
            class_name="button-row",
        ),
        rx.el.nav(
            rx.el.button(_("← Earlier"), type="button", class_name="small-button",
                         on_click=JournalState.change_week(-1), aria_label=_("Earlier week")),
            rx.el.strong(rx.cond(JournalState.loaded, JournalState.week_label, _("This week")),
                         class_name="week-label"),
            rx.el.button(_("Later →"), type="button", class_name="small-button",
                         on_click=JournalState.change_week(1), aria_label=_("Later week"),
                         disabled=JournalState.is_current_week),
            class_name="week-nav",
            aria_label=_("Choose week"),
            id=RESULTS_ID,
        ),
        rx.cond(JournalState.message != "",
                rx.el.p(JournalState.message, class_name="form-status", role="alert")),
        ty.heading(rx.cond(JournalState.searching, _("Search results"), _("Entries")), as_="h2",
                   size="5"),
        rx.cond(
            JournalState.loaded,
            rx.fragment(
                rx.cond(
                    JournalState.entries.length() > 0,
                    rx.el.div(rx.foreach(JournalState.entries, _entry), class_name="stack"),
                    rx.el.p(rx.cond(JournalState.searching, _("Nothing matches that search."),
                                    _("No entries this week yet. A quick check\u2011in on "
                                      "Today takes 20 seconds.")), class_name="muted"),
                ),
                _week_grid(),
                _search(),
            ),
            rx.el.p(_("Loading your entries…"), class_name="muted loading-line",
                    role="status"),
        ),
        _delete_dialog(),
        _undo_bar(),
        title=_("Journal"),
        active="journal",
    )


def register(app: rx.App) -> None:
    localized.add_page(app, journal_page, "/journal", title=N_("Journal"),
                       on_load=JournalState.load_journal)
    localized.add_page(app, editor_page, "/journal/new", title=N_("Diary card"),
                       on_load=EntryEditorState.load_editor)
    localized.add_page(app, editor_page, "/journal/edit", title=N_("Edit diary card"),
                       on_load=EntryEditorState.load_editor)
