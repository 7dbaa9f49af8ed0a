"""names stored before issue 23 lose their hidden characters

Names are now refused at sign-up and in Account when they hold a bidi control or a
zero-width character (`schemas.normalise_text`), but names stored before that can
still hold one: a U+202E that turns a name around on a therapist's screen, a
U+200B that makes one "Sam Lee" look like another. This takes them out (and
stores the name in NFC), in the account's own name and in the copies of a name
kept beside what a person did (who assigned homework, who marked attendance),
with the same rule the forms use, joiners a script or an
emoji needs kept. A name that was only hidden characters becomes "Unnamed"; its
owner can set one in Account. Consent signatures are left as signed: they are the
record of what the person typed when they agreed; the audit trail is
append-only, so its copies of actors' names are cleaned where they are read
(`audit._line`).

There is nothing to undo: the downgrade leaves the cleaned names as they are.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 09:40:00.000000
"""

from alembic import op
import sqlalchemy as sa

from skills_app.core.schemas import without_invisible


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

UNNAMED = "Unnamed"
# (table, key column, name column, whether an empty result needs a name)
NAME_COLUMNS = (
    ("user_account", "id", "display_name", True),
    ("assignment", "id", "assigned_by_name", False),
    ("attendance", "id", "marked_by_name", False),
)


def upgrade() -> None:
    connection = op.get_bind()
    for table, key, column, required in NAME_COLUMNS:
        rows = connection.execute(sa.text(
            f"SELECT {key}, {column} FROM {table} WHERE {column} <> ''")).all()
        for row_id, name in rows:
            cleaned = without_invisible(name).strip()
            if required and not cleaned:
                cleaned = UNNAMED
            if cleaned != name:
                connection.execute(sa.text(
                    f"UPDATE {table} SET {column} = :name WHERE {key} = :id"),
                    {"name": cleaned, "id": row_id})


def downgrade() -> None:
    pass
