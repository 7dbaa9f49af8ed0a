"""safety category: split the old urges category in every grant

Before this, "substance_use" held every urge (suicide, self-harm, use, quitting
therapy), whether it was acted on, and the entry's risk flag. Those are now two
categories: "safety" (suicide, self-harm and quit-therapy urges and acts, the
risk flag) and "substance_use" (the urge to use, cravings, what and how much).
A grant that held the old category gets both halves, so each therapist sees
exactly what they saw before: the grant keeps its consent version, and
`core/sharing.py` reads "safety" under that version without the parts the new
consent adds to it (PHQ-9 item 9, whether a safety plan exists).

Downgrading folds "safety" back into "substance_use" only for grants signed
under the old version (where it came from); a grant signed under the new
consent loses "safety" on the way down, which shows less, never more.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 23:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

OLD_VERSION = "2026-11.1"
ORDER = ("safety", "mood", "substance_use", "exercises", "mindfulness", "measures",
         "safety_plan", "notes")

share_grant = sa.table(
    "share_grant",
    sa.column("id", sa.Integer),
    sa.column("categories", sa.JSON),
    sa.column("consent_version", sa.String),
)


def _ordered(keys: set[str]) -> list[str]:
    return [key for key in ORDER if key in keys] + sorted(keys - set(ORDER))


def _rewrite(change) -> None:  # noqa: ANN001
    connection = op.get_bind()
    rows = connection.execute(sa.select(share_grant.c.id, share_grant.c.categories,
                                        share_grant.c.consent_version)).all()
    for grant_id, categories, version in rows:
        before = set(categories or [])
        after = change(before, version)
        if after != before:
            connection.execute(share_grant.update().where(share_grant.c.id == grant_id)
                               .values(categories=_ordered(after)))


def upgrade() -> None:
    _rewrite(lambda keys, version: keys | {"safety"} if "substance_use" in keys else keys)


def downgrade() -> None:
    def back(keys: set[str], version: str) -> set[str]:
        if "safety" not in keys:
            return keys
        if version == OLD_VERSION:
            return (keys - {"safety"}) | {"substance_use"}
        return keys - {"safety"}
    _rewrite(back)
