"""Sentences for guided practice (core/practice.py, core/exercises.py): problem codes,
the answers to "Did this help?", and the "I need help with..." situations."""

from skills_app.text import N_

PROBLEMS = {
    "exercise_bad_form": N_("Something went wrong with this exercise. Please try again."),
    "unknown_exercise": N_("We couldn't find that exercise. Please pick one from the "
                           "Practice tab."),
    "practice_not_found": N_("We couldn't find that practice. It may have been deleted."),
    "distress_number": N_("Please pick a number from 0 to {high}, or leave it blank."),
    "scale_number": N_("Please pick a number from 0 to {high}."),
    "pick_from_choices": N_("Please pick from the choices shown."),
    "pick_one_choice": N_("Please pick one of the choices shown."),
    "answer_step": N_("Please answer step {step} before you finish."),
    "pick_helped": N_("Please pick Yes, A little or No, or leave it blank."),
}

# Field names that appear inside the form sentences (words/forms.py) for an answer.
LABELS = (N_("answer"),)
