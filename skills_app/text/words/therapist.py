"""Sentences for the facts `core/programs.py` returns: invitations, program admin and
the server commands. The therapist side is English only for now; the two
sentences a sign-up page can show anyone (an invitation that does not work,
a therapist account without one) have Spanish in locale/es/.../therapist.po.
"""

from skills_app.text import N_

PROBLEMS = {
    "invitation_refused": N_("This invitation link does not work. It may have been used "
                             "already or have expired. Please ask your program's admin for "
                             "a new one."),
    "needs_invitation": N_("Therapist accounts are made from an invitation link sent by your "
                           "program's admin: please open that link, or ask them for one. If "
                           "you are a patient, create your account on the sign-up page."),
    "not_admin": N_("Only an admin of this program can do that."),
    "therapist_not_found": N_("We could not find that therapist in your program."),
    "cannot_deactivate_self": N_("You cannot deactivate yourself."),
    # The program's group schedule (core/schedule.py).
    "schedule_needs_time_zone": N_("Please set the program's time zone first: tracks meet in "
                                   "it."),
    "track_not_found": N_("We could not find that track in your program. It may have been "
                          "archived or ended."),
    "exception_not_found": N_("We could not find that day off. It may have been removed "
                              "already."),
    "track_no_weekdays": N_("Please pick at least one day the track meets."),
    "track_bad_time": N_("Please enter a time like 09:00 or 18:30."),
    "track_end_before_start": N_("The end time must be after the start time, on the same "
                                 "day."),
    "track_bad_day": N_("Please enter a real date, like 2027-01-04."),
    "track_last_before_first": N_("The last day must be on or after the first day."),
    "exception_outside_track": N_("That day is outside the track's first and last day."),
    "exception_no_track": N_("No current track meets in the dates that hold that day."),
    "patient_not_found": N_("We could not find that patient."),
    "staff_inactive": N_("Your account is not active in a program now."),
    "group_needs_grant": N_("This patient is not sharing with you now, so you cannot change "
                            "their group track."),
    # The server commands (python -m skills_app.admin).
    "no_program": N_("No program with id {program_id}."),
    "no_therapist_account": N_("No therapist account has that email."),
}

# Field names that appear inside form sentences (words/forms.py) on these screens.
LABELS = (N_("note"), N_("program name"), N_("track name"))
