"""Server commands for programs (run on the server, never from a browser).

    .venv/bin/python -m skills_app.admin create-program --name "Riverside IOP" \
        --admin-email lee@example.org [--base-url https://skills.example.org]
        Makes the program and prints a one-time setup link (valid 24 hours)
        for its first admin, who opens it and sets their own password.

    .venv/bin/python -m skills_app.admin invite --program-id 1 [--role therapist|admin]
        Prints another sign-up link for a program (admins do this in the app).

    .venv/bin/python -m skills_app.admin add-member --program-id 1 --email x@example.org
        [--role therapist|admin]
        Adds an existing therapist account (made before programs existed) to a
        program, after you have checked who they are.

    .venv/bin/python -m skills_app.admin unlock-sign-in --email x@example.org
        Lets an email's password be checked again after 100 wrong passwords in
        a row stopped it (NIST SP 800-63B 5.2.2), once the program's staff have
        checked that the person asking owns the account.

    .venv/bin/python -m skills_app.admin seed-demo [--force] [--base-url URL]
        Adds demo data (never run on start): a program, an admin, a therapist and
        three patients with eight weeks of varied data, all with one printed
        demo password. Refuses when the demo accounts exist already, and on a
        database with real (non-example.org) accounts unless --force is given.

The database is the one the app uses (`REFLEX_DB_URL`, else skills.db); it is
migrated first. Links are printed once and only their SHA-256 is stored.
"""

from __future__ import annotations

import argparse
import sys

from skills_app import demo
from skills_app.core import auth, db, programs
from skills_app.core.models import ProgramRole
from skills_app.core.problems import ProblemError
from skills_app.core.schemas import normalise_email
from skills_app.core.settings import allowed_origins
from skills_app.text import _
from skills_app.text.problems import say


def _link(base_url: str | None, token: str) -> str:
    base = (base_url or allowed_origins()[0]).rstrip("/")
    return f"{base}/join/?invite={token}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skills_app.admin",
                                     description=_("Programs and therapist accounts."))
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-program",
                                 help=_("make a program and its first admin link"))
    create.add_argument("--name", required=True)
    create.add_argument("--admin-email", required=True,
                        help=_("who the setup link is for (shown with the link, not stored)"))
    create.add_argument("--base-url")
    invite = commands.add_parser("invite", help=_("print a sign-up link for a program"))
    invite.add_argument("--program-id", type=int, required=True)
    invite.add_argument("--role", choices=[r.value for r in ProgramRole], default="therapist")
    invite.add_argument("--base-url")
    member = commands.add_parser("add-member", help=_("add an existing therapist account"))
    member.add_argument("--program-id", type=int, required=True)
    member.add_argument("--email", required=True)
    member.add_argument("--role", choices=[r.value for r in ProgramRole], default="therapist")
    unlock = commands.add_parser("unlock-sign-in",
                                 help=_("turn signing in back on after 100 wrong passwords"))
    unlock.add_argument("--email", required=True)
    seed = commands.add_parser("seed-demo", help=_("add demo accounts and eight weeks of data"))
    seed.add_argument("--force", action="store_true",
                      help=_("add them even though the database has real accounts"))
    seed.add_argument("--base-url")
    args = parser.parse_args(argv)

    db.migrate()
    if args.command == "create-program":
        try:
            program_id, token = programs.create_program(args.name)
        except ProblemError as error:
            print(say(error.problem), file=sys.stderr)
            return 2
        print(_("Program {program_id} made. Send this one-time setup link to {email} "
                "(it works once, for 24 hours):", program_id=program_id,
                email=args.admin_email))
        print(_link(args.base_url, token))
        return 0
    if args.command == "seed-demo":
        try:
            made = demo.seed_demo(force=args.force)
        except demo.DemoRefused as refusal:
            print(_(str(refusal)), file=sys.stderr)
            return 1
        print(demo.describe(made, args.base_url or allowed_origins()[0]))
        return 0
    if args.command == "unlock-sign-in":
        try:
            email = normalise_email(args.email)
        except ProblemError as error:
            print(say(error.problem), file=sys.stderr)
            return 2
        if auth.unlock_sign_in(email):
            print(_("Signing in with {email} is on again.", email=email))
        else:
            print(_("Signing in with {email} was not stopped; nothing changed.", email=email))
        return 0
    if args.command == "invite":
        token = programs.create_invitation(args.program_id, ProgramRole(args.role))
        if token is None:
            print(_("No program with id {program_id}.", program_id=args.program_id),
                  file=sys.stderr)
            return 2
        print(_link(args.base_url, token))
        return 0
    try:
        added = programs.add_member(args.program_id, args.email, ProgramRole(args.role))
    except ProblemError as error:
        print(say(error.problem), file=sys.stderr)
        return 2
    done = (_("{name} is now an active admin of {program}.") if added.role == ProgramRole.ADMIN
            else _("{name} is now an active therapist of {program}."))
    print(done.format(name=added.name, program=added.program_name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
