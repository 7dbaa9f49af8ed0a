"""Sentences for mindfulness, check-ups (PHQ-9, GAD-7) and Progress.

`PROBLEMS` are the sentences of the problem codes core/mindfulness.py,
core/measures.py and core/progress.py return; `SUMMARY` and
`summary_sentence` write the weekly summary's lines (core/progress.py's
`SummaryLine` facts); `SCRIPT_TEXT` is what assets/timer.js and
assets/progress.js show. The questionnaires' own wording is never here: it is
published text (content/measures.py).
"""

from __future__ import annotations

from typing import Any

from skills_app.text import N_, _, formats, ngettext

PROBLEMS = {
    # core/mindfulness.py: the timers' fields and a finished session's record.
    "mind_whole_number": N_("Please enter a whole number of {what} from {low} to {high}."),
    "mind_phase_seconds": N_("Please enter 0 to {high} seconds for each part "
                             "(half seconds are fine)."),
    "mind_breath_too_short": N_("Breathing in and breathing out each need at least half a "
                                "second."),
    "mind_how_long": N_("Please say how long: a number of breaths or of minutes."),
    "mind_no_time": N_("A breathing pattern needs some time to breathe."),
    "mind_too_many_bells": N_("Please list at most {high} bell times."),
    "mind_no_room_for_bells": N_("A 1-minute sit has no room for bells between its start and "
                                 "end."),
    "mind_bad_log": N_("Something went wrong with this session's record, so it was not "
                       "logged."),
    "mind_unknown_practice": N_("We don't know that practice, so this session was not "
                                "logged."),
    "mind_bad_time": N_("This session's start or end time could not be read, so it was not "
                        "logged."),
    "mind_end_before_start": N_("This session ends before it starts, so it was not logged."),
    "mind_too_long": N_("A session can last at most 24 hours, so this one was not logged."),
    "mind_in_the_future": N_("This session's time is in the future, so it was not logged. "
                             "Please check the clock on your phone."),
    "mind_too_old": N_("This session ended more than 30 days ago, so it was not logged."),
    "mind_bad_seconds": N_("This session's length could not be read, so it was not logged."),
    "mind_log_days": N_("A log covers 1 to {high} days."),
    # core/measures.py
    "measure_bad_form": N_("Something went wrong with this questionnaire. Please try again."),
    "measure_unknown": N_("We couldn't find that questionnaire. "
                          "Please pick one from the Check-ups page."),
    "measure_not_found": N_("We couldn't find that result."),
    "measure_answer": N_("Please pick one of the four answers for question {number}."),
    "measure_missing": N_("Please answer question {number} before you finish."),
    "measure_difficulty": N_("Please pick one of the four answers to the last question, or "
                             "leave it blank."),
    "measure_sign_in": N_("Please sign in again to download your results."),
    "measure_patients_only": N_("Only a patient can download their own check-ups."),
    # core/progress.py
    "progress_bad_range": N_("Please pick one of the ranges shown: 7 days, 30 days, 90 days "
                             "or a year."),
    "progress_bad_dates": N_("We couldn't read those dates. Please pick a range from the "
                             "buttons."),
    "progress_reversed": N_("The first day must come before the last day. Please pick a range "
                            "from the buttons."),
    "progress_future": N_("That range ends after today. Please pick a range from the "
                          "buttons."),
}

# What fills {what} in "mind_whole_number".
LABELS = (N_("minutes"), N_("breaths"), N_("minutes between bells"),
          N_("minutes for each bell"))

CRISIS = N_("If you are in danger, call or text 988, or call 911.")

# The weekly summary's lines without a count (core/progress.py `SummaryLine.kind`).
SUMMARY = {
    "too_little": N_("There isn't much to sum up for the last 7 days yet. A quick check-in "
                     "on a few days will help you see how your week went."),
    "crisis": CRISIS,
    "mood": N_("Your mood averaged {now} out of 10."),
    "mood_same": N_("Your mood averaged {now} out of 10, about the same as the week before."),
    "mood_up": N_("Your mood averaged {now} out of 10, up from {before} the week before."),
    "mood_down": N_("Your mood averaged {now} out of 10, down from {before} the week before. "
                    "Hard weeks happen. It may help to talk about it with your therapist."),
    "skills_invite": N_("When you're ready, a skill from the Practice tab may help."),
    "urge_same": N_("Urges to use were about the same as the week before."),
    "urge_lower": N_("Urges to use were lower than the week before."),
    "urge_higher": N_("Urges to use were higher than the week before. Your coping plan and "
                      "your supports are there for you."),
    "strong_urges": N_("Some days had strong urges to hurt yourself. If you are in danger, "
                       "call or text 988, or call 911."),
}


def summary_sentence(kind: str, **params: Any) -> str:
    """One line of the weekly summary, in the current language."""
    count = params.get("count", 0)
    if kind == "skill_days":
        return ngettext("You used skills on {n} day.", "You used skills on {n} days.", count)
    if kind == "exercises":
        return ngettext("You finished {n} exercise.", "You finished {n} exercises.", count)
    if kind == "mindful_minutes":
        return ngettext("You spent {n} minute on mindfulness.",
                        "You spent {n} minutes on mindfulness.", count)
    if kind.startswith("mood"):  # averages with one decimal, in the reader's own way
        params = {key: formats.decimal(value) for key, value in params.items()}
    return _(SUMMARY[kind], **params)


# What the timers (assets/timer.js) and the Progress tab's download (assets/progress.js)
# show; {placeholders} are filled by the script.
SCRIPT_TEXT = {
    "mind.in": N_("Breathe in"),
    "mind.more": N_("A little more in"),
    "mind.hold": N_("Hold"),
    "mind.out": N_("Breathe out"),
    "mind.ended": N_("Ended."),
    "mind.finished": N_("Finished."),
    "mind.get_ready_said": N_("Get ready."),
    "mind.started": N_("Started."),
    "mind.going_on": N_("Going on."),
    "mind.paused": N_("Paused."),
    "mind.minute_left": N_("1 minute left."),
    "mind.minutes_left": N_("{n} minutes left."),
    "mind.get_ready": N_("Get ready"),
    "mind.paused_left": N_("Paused: time left"),
    "mind.time_left": N_("Time left"),
    "mind.resume": N_("Resume"),
    "mind.pause": N_("Pause"),
    "mind.next_bell": N_("Next bell in {time}"),
    "mind.step_of": N_("Step {step} of {count}"),
    "mind.ended_at": N_("Ended at {time}"),
    "mind.finished_at": N_("Finished at {time}"),
    "mind.second": N_("1 second of {what}."),
    "mind.seconds": N_("{n} seconds of {what}."),
    "mind.minute": N_("1 minute of {what}."),
    "mind.minutes": N_("{n} minutes of {what}."),
    "mind.too_short": N_("Too short to go in your log."),
    "mind.not_added": N_("Not added to your log."),
    "mind.kept": N_("Kept on this phone. It goes into your log when you're back online."),
    "mind.adding": N_("Adding it to your log\u2026"),
    "mind.added": N_("Added to your log."),
    "mind.whole_number": PROBLEMS["mind_whole_number"],
    "mind.phase_seconds": PROBLEMS["mind_phase_seconds"],
    "mind.breath_too_short": PROBLEMS["mind_breath_too_short"],
    "mind.no_room_for_bells": PROBLEMS["mind_no_room_for_bells"],
    "mind.list_bells": N_("Please list 1 to 20 minutes, like 5, 10, 15."),
    "mind.minutes_word": N_("minutes"),
    "mind.breaths_word": N_("breaths"),
    "mind.minutes_between_bells": N_("minutes between bells"),
    "mind.minutes_for_each_bell": N_("minutes for each bell"),
    "mind.paced_breathing": N_("paced breathing"),
    "mind.meditation": N_("meditation"),
    "progress.offline": N_("We couldn't reach Skills Practice. Check your connection and try "
                           "again."),
    "progress.failed": N_("Something went wrong on our side. Please try again."),
    "progress.preparing": N_("Preparing your file\u2026"),
    "progress.downloading": N_("Your file {name} is downloading."),
}
