"""Sentences for the journal's problems: the quick check-in, the diary card, its settings.

`label` in these sentences is a diary-card item's `phrase` ("your mood",
"suicidal urges") or a field's name below, both catalogue messages, so the
sentence and the words inside it are in the reader's language. `name` is a
name the patient typed: it is shown as they wrote it.
"""

from skills_app.text import N_

PROBLEMS = {
    # A diary-card item's answer.
    "rate_item": N_("Please rate {label} from 0 to {high}."),
    "rate_item_whole": N_("Please rate {label} with a whole number from 0 to {high}."),
    "hours_item": N_("Please enter {label} from 0 to {high}, in steps of half an hour "
                     "(like 7.5)."),
    "yes_no_item": N_("Please answer yes or no about {label}, or leave it blank."),
    "acted_item": N_("Please answer yes or no: did you act on {label}?"),
    # The patient's own emotions and targets ("urges" in the database).
    "rate_own_item": N_('Please rate "{name}" from 0 to {high}.'),
    "rate_own_item_whole": N_('Please rate "{name}" with a whole number from 0 to {high}.'),
    "acted_own_item": N_('Please answer yes or no: did you act on "{name}"?'),
    "own_emotions_one_at_a_time": N_("Please add your own emotions one at a time."),
    "own_urges_one_at_a_time": N_("Please add your own urges one at a time."),
    "too_many_own_emotions": N_("You can add up to {high} of your own emotions."),
    "too_many_own_urges": N_("You can add up to {high} of your own urges."),
    "already_on_card": N_('"{name}" is already on your card. Please use it only once.'),
    # The rest of a diary card.
    "pick_skills": N_("Please pick the skills you used from the list."),
    "triggers_one_at_a_time": N_("Please add triggers one at a time."),
    "too_many_triggers": N_("Please use up to {high} triggers for one entry."),
    "empty_card": N_("This diary card is empty. Answer at least one question, then save."),
    # Which entry, and when.
    "choose_entry_kind": N_("Please choose a quick check-in or a diary card."),
    "bad_moment": N_("Please pick a valid date and time."),
    "moment_without_zone": N_("Please pick a valid date and time (with its time zone)."),
    "moment_in_future": N_("That time is in the future. Please pick a time up to now."),
    "moment_too_old": N_("Entries can go back up to a year. Please pick a later date."),
    # Saving, editing, deleting.
    "entry_not_found": N_("We couldn't find that entry. It may have been deleted."),
    "too_late_to_undo": N_("It's too late to undo that delete."),
    "entry_key_in_use": N_("This entry couldn't be saved. Please try again."),
    "deleted_elsewhere": N_("This entry was deleted on another device. What you wrote is "
                            "still here: copy it into a new entry if you want to keep it."),
    "search_too_long": N_("Please search with a few words (up to {high} characters)."),
}

# Field names inside the sentences above (and in forms.py's "too_long", "missing_text").
LABELS = (N_("note"), N_("emotion name"), N_("urge name"), N_("target name"), N_("trigger"),
          N_("search"))

# A row of the week grid for "I acted on it" (the therapist's review shows it).
ACTED_ON_ROW = N_("Acted on: {label}")
SKILLS_USED_ROW = N_("Skills used")
SKILLS_GROUP = N_("Skills")
