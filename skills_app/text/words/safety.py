"""Sentences for the safety area: the plans' problems (core/plans.py) and the
words assets/safety.js shows (the safety plan's copy kept on the phone)."""

from skills_app.text import N_

PROBLEMS = {
    "plan_not_found": N_("We couldn't find that plan. Please reload the page and try again."),
    "plan_changed_elsewhere": N_("Your plan was changed on another device. Please reload to "
                                 "see the newest version. What you typed is kept on this "
                                 "phone."),
    "step_fields_only": N_("This step can only take its own answers. Please reload the page "
                           "and try again."),
    "too_many_lines": N_("Please keep your {label} to {high} lines (there are {count})."),
    "phone_characters": N_("Please use only numbers in a phone number (spaces, +, - and "
                           "brackets are fine)."),
    "contact_needs_name": N_("Please add a name for {phone}."),
    "start_no_warning_sign": N_("Please write one warning sign. A few words are enough."),
    "start_no_thing_to_do": N_("Please write one thing you can do. A few words are enough."),
    "start_no_person": N_("Please add their name and phone number."),
}

# Field names that appear inside the sentences above (the plans' lists are named
# in core/plans.py, each section's `phrase`).
LABELS = (N_("phone number"), N_("name"))

SCRIPT_TEXT = {
    "safety.plan_title": N_("My safety plan"),
    "safety.kept_offline": N_("Kept on this phone so you can read it offline."),
    "safety.call": N_("Call"),
    "safety.text": N_("Text"),
    "safety.call_name": N_("Call {name}"),
    "safety.text_name": N_("Text {name}"),
}
