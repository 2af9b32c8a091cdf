from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    # "@name" is looked up on the message path (a mention the ads plugin checks against the
    # roster, a command's @member): by username whatever its case, then by display name. The
    # username's plain index serves neither the ORM's case-insensitive form nor the name, so
    # each lookup read every account: 80 ms with 100,000 of them. These index exactly the
    # expressions the queries compare (tests/core/test_account_lookups.py checks the plans).
    dependencies = [("core", "0005_outbox")]

    operations = [
        ops.RunSQL(
            'CREATE INDEX "core_account_handle" ON "core_account" '
            '("platform", UPPER(CAST("username" AS VARCHAR)))',
            reverse_sql='DROP INDEX "core_account_handle"',
        ),
        ops.RunSQL(
            'CREATE INDEX "core_account_name" ON "core_account" ("platform", "name")',
            reverse_sql='DROP INDEX "core_account_name"',
        ),
    ]
