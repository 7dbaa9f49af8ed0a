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
                           "program's admin. If you are a patient, choose \"A patient\"."),
    "not_admin": N_("Only an admin of this program can do that."),
    "therapist_not_found": N_("We could not find that therapist in your program."),
    "cannot_deactivate_self": N_("You cannot deactivate yourself."),
    # The server commands (python -m skills_app.admin).
    "no_program": N_("No program with id {program_id}."),
    "no_therapist_account": N_("No therapist account has that email."),
}

# Field names that appear inside form sentences (words/forms.py) on these screens.
LABELS = (N_("note"), N_("program name"))
