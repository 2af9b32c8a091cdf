"""A group that changes id (a Telegram group upgraded to a supergroup) stays one group: a
plugin's rows keyed by ``group.key`` stay reachable from the new id and the old one, with no
plugin code for it, and the migration happens once however often it is reported."""

import pytest
from tortoise import fields
from tortoise.models import Model

from bot import Context, JobContext, Plugin, Rest
from bot.testing import ChatDriver

notes = Plugin("notes", models=__name__)


class Note(Model):
    id = fields.IntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    guild_id = fields.CharField(max_length=32)  # the group's key (stable across a migration)
    text = fields.CharField(max_length=200)

    class Meta:
        table = "test_notes_note"
        app = "notes"


@notes.command("note", guild_only=True)
async def note(ctx: Context, text: Rest) -> None:
    assert ctx.group is not None
    await Note.create(platform=ctx.group.platform, guild_id=ctx.group.key, text=text)
    await ctx.reply(f"noted in {ctx.group.id}")


@notes.command("notes", guild_only=True)
async def list_notes(ctx: Context) -> None:
    assert ctx.group is not None
    rows = await Note.filter(platform=ctx.group.platform, guild_id=ctx.group.key).order_by("id")
    await ctx.reply(f"{ctx.group.id}: " + (", ".join(row.text for row in rows) or "none"))


@notes.cron("0 21 * * *")
async def digest(job: JobContext) -> None:
    assert job.group is not None
    count = await Note.filter(platform=job.group.platform, guild_id=job.group.key).count()
    await job.send(f"{count} notes")


pytestmark = pytest.mark.plugins(notes)


async def migrate(fake: ChatDriver, old: str, new: str) -> bool:
    """What the Telegram adapter does on a migrate_to_chat_id notice."""
    return await fake.app.migrate_guild("console", old, new)


async def test_rows_keyed_by_the_group_key_survive_a_migration(fake):
    assert await fake.say("alice: /note bring snacks") == ["noted in lobby"]
    assert await migrate(fake, "lobby", "superlobby") is True

    # Events from the new id: the same group, its notes, addressed by the new id.
    assert await fake.say(":group superlobby", "bob: /notes") == ["superlobby: bring snacks"]
    assert await fake.say("bob: /note and drinks") == ["noted in superlobby"]
    # An update from before the migration, delivered after it: still the same group.
    assert await fake.say(":group lobby", "carol: /notes") == ["superlobby: bring snacks, and drinks"]


async def test_a_migration_reported_twice_changes_nothing_the_second_time(fake):
    await fake.say("alice: /note one")
    assert await migrate(fake, "lobby", "superlobby") is True
    assert await migrate(fake, "lobby", "superlobby") is False
    assert await fake.say(":group superlobby", "bob: /notes") == ["superlobby: one"]
    groups = await fake.app.scope("notes").roster.groups("console")
    assert [(g.ref.key, g.ref.id) for g in groups] == [("lobby", "superlobby")]


async def test_jobs_run_once_for_the_migrated_group_and_post_to_its_new_id(fake):
    await fake.say("alice: /note one", "bob: hello")
    await migrate(fake, "lobby", "superlobby")
    await fake.say(":group superlobby", "bob: hello again")
    out = await fake.run_job("notes.digest")
    assert [(o.channel, o.text) for o in out] == [("superlobby", "1 notes")]


async def test_the_roster_follows_the_group(fake):
    await fake.say("alice: hi", "bob: hi")
    await migrate(fake, "lobby", "superlobby")
    await fake.say(":group superlobby", "alice: still here")
    roster = fake.app.scope("notes").roster
    [group] = await roster.groups("console")
    members = await roster.members(group.ref)
    assert [(m.user_id, m.message_count) for m in members] == [("alice", 2), ("bob", 1)]
