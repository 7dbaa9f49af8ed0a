"""Sentences for the problems every form shares (core/schemas.py)."""

from skills_app.text import N_

PROBLEMS = {
    "bad_form": N_("Something went wrong with this form. Please try again."),
    "required": N_("This is required."),
    "check_field": N_("Please check this field."),
    "not_text": N_("Please type your {label} as text."),
    "unstorable_character": N_("Your {label} has a character we can't store. Please retype it."),
    "control_character": N_("Your {label} has a hidden control character. Please retype it."),
    "invisible_character": N_("Your {label} has a hidden character, like an invisible space "
                              "or a mark that flips the text around. Please type it again "
                              "without it."),
    "missing_text": N_("Please enter your {label}."),
    "too_long": N_("Your {label} is too long: please keep it to {high} characters "
                   "(it has {count})."),
    "bad_email": N_("Please enter an email address like name@example.com."),
    "unknown_time_zone": N_("We don't recognise that time zone. Please pick one from the "
                            "list, like America/Chicago."),
    "password_not_text": N_("Please type your password as text."),
    "password_bad_character": N_("Your password has a character we can't use. "
                                 "Please retype it."),
    "password_too_short": N_("Please use at least {low} characters (this has {count}). "
                             "A short sentence or a few unrelated words work well."),
    "password_too_long": N_("Please use at most {high} characters (this has {count})."),
    "choose_role": N_("Please choose whether you are a patient or a therapist."),
    "missing_current_password": N_("Please enter your current password."),
    "missing_password": N_("Please enter your password."),
}

# Field names that appear inside the sentences above.
LABELS = (N_("name"), N_("email"), N_("time zone"))
