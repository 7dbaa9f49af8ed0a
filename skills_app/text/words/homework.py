"""Sentences for homework (core/homework.py): problem codes. The assigning ones are
read by therapists; the patient reads "not found" and the reason's own checks."""

from skills_app.text import N_

PROBLEMS = {
    "homework_bad_form": N_("Something went wrong with this homework. Please try again."),
    "homework_not_allowed": N_("You can't change this homework. Only the therapist who gave "
                               "it, or a program admin, can."),
    "homework_not_found": N_("We couldn't find that homework. It may have ended."),
    "homework_pick_kind": N_("Please pick what to practise."),
    "homework_pick_exercise": N_("Please pick one or more exercises from the list."),
    "homework_pick_practice": N_("Please pick a mindfulness practice from the list."),
    "homework_pick_checkup": N_("Please pick PHQ-9 or GAD-7."),
    "homework_pick_plan": N_("Please pick the safety plan or the relapse-prevention plan."),
    "homework_pick_repeat": N_("Please pick how often."),
    "homework_pick_weekdays": N_("Please pick at least one day of the week."),
    "homework_minutes": N_("Please enter whole minutes from {low} to {high}."),
    "homework_times_per_week": N_("Please pick a number of times a week from {low} to {high}."),
    "homework_bad_day": N_("Please enter a real date."),
    "homework_start_past": N_("The start day can't be before the patient's today."),
    "homework_start_far": N_("Please pick a start day within a year."),
    "homework_due_day_needed": N_("Please pick the day it is due."),
    "homework_end_before_start": N_("The last day can't be before the start day."),
    "homework_too_long": N_("Homework can run for a year at most. Please pick an earlier "
                            "last day."),
}

# Field names that appear inside the form sentences (words/forms.py).
LABELS = (N_("reason"),)
