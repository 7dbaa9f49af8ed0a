"""Words for the reminder scheduler (core/reminders.py, reminder_routes.py)."""

from skills_app.text import N_

PROBLEMS = {
    "reminder_snooze_minutes": N_("Please choose 30 or 60 minutes."),
    "reminder_not_found": N_("We couldn't find that reminder, so it was not put off."),
}
