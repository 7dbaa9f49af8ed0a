"""Words for reminder settings (core/reminder_settings.py)."""

from skills_app.text import N_

PROBLEMS = {
    "reminder_bad_form": N_("Something in the form was not right. Nothing was saved; please "
                            "try again."),
    "reminder_bad_time": N_("Please enter a time between 00:00 and 23:59, like 20:30."),
    "reminder_no_days": N_("Please pick at least one day, or turn this reminder off."),
    "reminder_quiet_same": N_("Quiet hours need a start and an end that are not the same."),
    "reminder_cap_range": N_("Please choose a number from {low} to {high}."),
    "reminder_bad_wording": N_("Please pick one of the wordings."),
    "reminder_email_unavailable": N_("Email reminders are not set up on this server."),
}
