"""Words for reminders on this phone: Web Push (core/push.py, push_routes.py,
components/push.py, assets/push.js)."""

from skills_app.text import N_

PROBLEMS = {
    "push_subscription_shape": N_("This phone sent something we can't use for reminders. "
                                  "Please try again."),
    "push_not_a_push_service": N_("Reminders can only go through your phone's own "
                                  "notification service. Please try again in the app."),
    "push_subscription_taken": N_("This phone is set up for reminders for someone else. "
                                  "Please try again."),
}

# What assets/push.js says (skillsText("push.<key>")).
SCRIPT_TEXT = {
    "push.off": N_("Reminders are off on this phone."),
    "push.on": N_("Reminders are on for this phone."),
    "push.turned_off": N_("Reminders are off on this phone. You can turn them on again "
                          "at any time."),
    "push.denied": N_("This phone is set to block notifications from Skills Practice. To "
                      "allow them: open your browser's settings, find Site settings or "
                      "Notifications, choose this site, and set it to Allow. Then tap "
                      "Turn on again."),
    "push.dismissed": N_("Nothing changed. When you are ready, tap Turn on and choose "
                         "Allow."),
    "push.iphone_title": N_("On an iPhone, reminders come only from the app on your "
                            "Home Screen"),
    "push.iphone_needs": N_("This needs iOS 16.4 or newer. To set it up:"),
    "push.iphone_step_share": N_("Tap the Share button at the bottom of Safari."),
    "push.iphone_step_add": N_("Choose Add to Home Screen, then Add."),
    "push.iphone_step_open": N_("Open Skills Practice from its new icon on your Home "
                                "Screen."),
    "push.iphone_step_turn_on": N_("Sign in, open Account, then Reminders, and tap Turn on."),
    "push.unsupported": N_("This browser can't show reminders. Try Chrome, Firefox, Edge "
                           "or Safari, or the app added to your Home Screen."),
    "push.offline": N_("We couldn't reach Skills Practice. Check your connection and try "
                       "again."),
    "push.failed": N_("Something went wrong. Reminders are still off on this phone; "
                      "please try again."),
}

# The notification's buttons (templates/sw.js, filled in by pwa.py in each language).
SNOOZE_30 = N_("Remind me in 30 min")
SNOOZE_60 = N_("Remind me in 1 hour")
