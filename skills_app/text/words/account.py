"""Words for accounts, sign-in, sharing and a person's own data (core/auth.py,
core/accounts.py, core/sharing.py, core/audit.py, api.py, assets/app.js)."""

from skills_app.text import N_

PROBLEMS = {
    # Signing in, signing up, passwords (core/auth.py, api.py)
    "bad_credentials": N_("That email and password don't match. Please check them and try "
                          "again."),
    # Too many wrong passwords for this email from this network (core/auth.py
    # pair_delay): the wait is rounded up to whole minutes.
    "wait_one_minute": N_("That was several tries that didn't match. To keep your account "
                          "safe, please wait 1 minute, then try again. If you need help now, "
                          "use the Get help now button."),
    "wait": N_("That was several tries that didn't match. To keep your account safe, please "
               "wait {minutes} minutes, then try again. If you need help now, use the Get "
               "help now button."),
    "address_wait_one_minute": N_("Too many sign-in tries from this network. Please wait 1 "
                                  "minute, then try again."),
    "address_wait": N_("Too many sign-in tries from this network. Please wait {minutes} "
                       "minutes, then try again."),
    # 100 wrong passwords in a row for this email, from anywhere (NIST SP 800-63B).
    "account_locked": N_("To keep this account safe, signing in is stopped after many wrong "
                         "passwords. Please ask your program's staff to turn it back on. If "
                         "you need help now, use the Get help now button."),
    "sign_ups_capped": N_("Many accounts were made from this network in the last hour, so new "
                          "ones are paused for a while. Please try again in an hour, or ask "
                          "your program's staff for help."),
    "email_taken": N_("This email already has an account. Try signing in instead."),
    "not_current_password": N_("That is not your current password."),
    "wrong_password_nothing_deleted": N_("That is not your password. Nothing was deleted."),
    "sign_in_again": N_("Please sign in again."),
    "password_personal": N_("Please don't use your email or name in your password."),
    # A weak password, with what zxcvbn noticed about it (core/auth.py maps its
    # English warnings to these codes).
    "password_weak": N_("This password is too common or too easy to guess. Try a short "
                        "sentence or four or more unrelated words."),
    "password_weak_keyboard_row": N_("This password is too common or too easy to guess. "
                                     "Straight rows of keys are easy to guess. Try a short "
                                     "sentence or four or more unrelated words."),
    "password_weak_keyboard_pattern": N_("This password is too common or too easy to guess. "
                                         "Short keyboard patterns are easy to guess. Try a "
                                         "short sentence or four or more unrelated words."),
    "password_weak_repeated_character": N_(
        "This password is too common or too easy to guess. Repeats like \"aaa\" are easy to "
        "guess. Try a short sentence or four or more unrelated words."),
    "password_weak_repeated_group": N_(
        "This password is too common or too easy to guess. Repeats like \"abcabcabc\" are "
        "only slightly harder to guess than \"abc\". Try a short sentence or four or more "
        "unrelated words."),
    "password_weak_sequence": N_(
        "This password is too common or too easy to guess. Sequences like \"abc\" or "
        "\"6543\" are easy to guess. Try a short sentence or four or more unrelated words."),
    "password_weak_recent_year": N_("This password is too common or too easy to guess. "
                                    "Recent years are easy to guess. Try a short sentence or "
                                    "four or more unrelated words."),
    "password_weak_date": N_("This password is too common or too easy to guess. Dates are "
                             "often easy to guess. Try a short sentence or four or more "
                             "unrelated words."),
    "password_weak_top10": N_("This password is too common or too easy to guess. This is a "
                              "top-10 common password. Try a short sentence or four or more "
                              "unrelated words."),
    "password_weak_top100": N_("This password is too common or too easy to guess. This is a "
                               "top-100 common password. Try a short sentence or four or more "
                               "unrelated words."),
    "password_weak_very_common": N_("This password is too common or too easy to guess. This "
                                    "is a very common password. Try a short sentence or four "
                                    "or more unrelated words."),
    "password_weak_like_common": N_("This password is too common or too easy to guess. This "
                                    "is similar to a commonly used password. Try a short "
                                    "sentence or four or more unrelated words."),
    "password_weak_single_word": N_("This password is too common or too easy to guess. A "
                                    "word by itself is easy to guess. Try a short sentence or "
                                    "four or more unrelated words."),
    "password_weak_name_alone": N_("This password is too common or too easy to guess. Names "
                                   "and surnames by themselves are easy to guess. Try a short "
                                   "sentence or four or more unrelated words."),
    "password_weak_common_names": N_("This password is too common or too easy to guess. "
                                     "Common names and surnames are easy to guess. Try a "
                                     "short sentence or four or more unrelated words."),
    # The JSON routes (api.py)
    "try_again": N_("Something went wrong on our side. Your details are still here: please "
                    "try again."),
    "body_too_long": N_("That is more text than this form takes."),
    "use_the_form": N_("Please use the form on this page."),
    "untrusted_origin": N_("This request came from somewhere we don't trust."),
    # Sharing (core/sharing.py)
    "code_shape": N_("That code should be 8 letters and numbers, like ABCD-2345. Please check "
                     "it."),
    "code_refused": N_("That code does not work. It may have expired (codes last 24 hours) or "
                       "been used already. Please ask your therapist for a new one."),
    "code_too_many": N_("Too many codes tried. Please wait 15 minutes and try again."),
    "no_categories": N_("Please pick at least one thing to share, or choose Cancel."),
    "unknown_category": N_("Something in that list is not something you can share. Please "
                           "pick again."),
    "sign_name": N_("Please type your name to sign."),
    "name_differs": N_("Please type your name as it is on your account: {name}."),
    "consent_changed": N_("The consent text changed since you opened it. Please read it "
                          "again."),
    "grant_not_found": N_("We could not find that sharing. It may have ended already."),
    "therapist_inactive": N_("This therapist's account is not active now, so you cannot share "
                             "with them."),
}

# "Who has seen my data" (core/audit.py's actions and reasons). Each action has
# a sentence without and with the shared parts it used.
LOG_ACTIONS = {
    "dashboard": (N_("{who} saw you in their patient list."),
                  N_("{who} saw you in their patient list ({parts}).")),
    "detail": (N_("{who} opened your progress."),
               N_("{who} opened your progress ({parts}).")),
    "diary_review": (N_("{who} opened your diary card review."),
                     N_("{who} opened your diary card review ({parts}).")),
    "report_view": (N_("{who} opened a session summary."),
                    N_("{who} opened a session summary ({parts}).")),
    "report_pdf": (N_("{who} downloaded a session summary (PDF)."),
                   N_("{who} downloaded a session summary (PDF) ({parts}).")),
    "report_csv": (N_("{who} downloaded a session summary (spreadsheet)."),
                   N_("{who} downloaded a session summary (spreadsheet) ({parts}).")),
    # Group attendance (core/attendance.py): the program's own record.
    "attendance": (N_("{who} marked your attendance at a group."),
                   N_("{who} marked your attendance at a group.")),
    "roster": (N_("{who} saw your name on a group's attendance list."),
               N_("{who} saw your name on a group's attendance list.")),
    "group_track": (N_("{who} changed your group schedule."),
                    N_("{who} changed your group schedule ({parts}).")),
}
LOG_ANY_ACTION = (N_("{who} looked at your shared data."),
                  N_("{who} looked at your shared data ({parts})."))
LOG_STOPPED = N_("{who} tried to see your data and was stopped ({why}).")
LOG_REASONS = {
    "not_signed_in": N_("they were not signed in"),
    "not_therapist": N_("they are not a therapist"),
    "wrong_role": N_("that page is not for their kind of account"),
    "inactive": N_("their account was not active"),
    "no_grant": N_("you are not sharing with them"),
    "category": N_("you are not sharing that part with them"),
    "unknown_patient": N_("no such patient"),
    # Group attendance (core/attendance.py).
    "other_program": N_("that group is not in their program"),
    "not_on_track": N_("you were not on that group that day"),
    "not_a_meeting": N_("that group did not meet that day"),
    "not_yet": N_("that group had not met yet"),
    "track": N_("that group is not one of their program's"),
}
LOG_ANY_REASON = N_("they were not allowed")
# "Who has seen my data", grouped by person and day (views/sharing.py log_groups):
# "{who} {did} on {day}." where {did} joins what they did, each counted.
# In this order within a sentence; refusals come last.
LOG_DID = {
    "detail": N_("opened your progress"),
    "dashboard": N_("saw you in their patient list"),
    "diary_review": N_("opened your diary card review"),
    "report_view": N_("opened a session summary"),
    "report_pdf": N_("downloaded a session summary (PDF)"),
    "report_csv": N_("downloaded a session summary (spreadsheet)"),
    "attendance": N_("marked your attendance at a group"),
    "roster": N_("saw your name on a group's attendance list"),
    "group_track": N_("changed your group schedule"),
}
LOG_DID_ANY = N_("looked at your shared data")
LOG_DID_STOPPED = N_("was stopped ({why})")
LOG_GROUP = N_("{who} {did} on {day}.")
LOG_GROUP_PARTS = N_("{who} {did} on {day} ({parts}).")
LOG_NOBODY_SIGNED_IN = N_("Someone who was not signed in")

# An event over the size limit (core/event_size.py): said by the server and by app.js.
TOO_LARGE_TO_SEND = N_("That was too large to send — nothing was saved; your text is still "
                       "here.")

# What assets/app.js shows (skillsText("account.<key>")).
SCRIPT_TEXT = {
    "account.offline": N_("We couldn't reach Skills Practice. Check your connection and try "
                          "again. What you typed is still here."),
    "account.failed": N_("Something went wrong on our side. What you typed is still here; "
                         "please try again."),
    "account.unsent_title_one": N_("1 entry is not saved yet"),
    "account.unsent_title_other": N_("{n} entries are not saved yet"),
    "account.unsent_text": N_("It is kept on this phone. Save it first, or sign out and "
                              "discard it."),
    "account.save_it_first": N_("Save it first"),
    "account.save_them_first": N_("Save them first"),
    "account.sign_out_discard": N_("Sign out and discard"),
    "account.show": N_("Show"),
    "account.hide": N_("Hide"),
    "account.offline_line": N_("Offline \u2014 what you write is kept on this phone and sent "
                               "when you're back."),
    "account.back_line": N_("Back online."),
    "account.back_sending": N_("Back online \u2014 sending what you wrote\u2026"),
    "account.back_saved": N_("Back online \u2014 saved."),
    "account.saved_here": N_("Kept on this phone until it is saved."),
    "account.restored": N_("We kept what you were writing."),
    "account.waiting": N_("You're offline. Your entry is safe on this phone and will be saved "
                          "when you're back online."),
    "account.retrying": N_("Not saved yet, trying again. What you typed is kept on this "
                           "phone."),
    "account.not_saved": N_("Not saved yet. What you typed is still here."),
    "account.storage_full": N_("This phone's storage is full, so this draft is not kept. "
                               "Please save soon."),
    "account.too_long": N_("Your {label} is too long: please keep it to {high} characters "
                           "(it has {count})."),
    "account.too_large_to_send": TOO_LARGE_TO_SEND,
    "account.text": N_("text"),
    "account.saving": N_("Saving…"),
    "account.copied_paste": N_("Copied. You can paste it into a text or email."),
    "account.copy_failed": N_("Copying did not work here. Press and hold the message to copy "
                              "it."),
    "account.shared": N_("Shared."),
    "account.copied": N_("Copied"),
    "account.selected": N_("The message is selected. Use your phone's Copy to copy it."),
}
