"""The console as a platform: an image or file the bot sends is written to a file whose path the
line shows (the person at the console opens it), and a member the bot removes leaves with a
MemberLeft, as on Telegram and Discord."""

from __future__ import annotations

import pytest

from bot import Context, File, GroupRef, Image, MemberLeft, Outgoing, Plugin, Text, User

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
showcase = Plugin("showcase", description="sends pictures, removes members")
left: list[tuple[str, bool, str | None]] = []


@showcase.command("picture", description="showcase")
async def picture(ctx: Context) -> None:
    await ctx.reply(Outgoing((
        Text("here it is"), Image(PNG, "chart.png"), File(b"a,b\n1,2\n", "../../etc/figures.csv"),
    )))


@showcase.command("boot", description="showcase")
async def boot(ctx: Context, who: User) -> None:
    await ctx.bot.kick(ctx.group.id, who.id)
    await ctx.reply(f"booted {who.id}")


@showcase.on(MemberLeft)
async def record_leave(ctx: Context, event: MemberLeft) -> None:
    operator = event.operator.id if event.operator else None
    left.append((event.user.id, event.removed, operator))


pytestmark = pytest.mark.plugins(showcase)


@pytest.fixture(autouse=True)
def clear() -> None:
    left.clear()


async def test_sent_images_and_files_are_written_and_their_path_printed(fake, tmp_path):
    fake.console.files_dir = tmp_path
    printed: list[str] = []
    fake.console.echo = printed.append
    await fake.say("alice: /picture")
    output = fake.outputs[-1]
    image, table = output.files
    assert image.parent == tmp_path and image.name.endswith("-chart.png")
    assert image.read_bytes() == PNG
    # The plugin's name never chooses the folder: only its last part is used.
    assert table.parent == tmp_path and table.name.endswith("-figures.csv")
    assert table.read_text() == "a,b\n1,2\n"
    assert output.attachments == ("chart.png", "../../etc/figures.csv")
    assert printed[-1] == f"bot@lobby: here it is <{image}> <{table}>"


async def test_two_charts_of_the_same_name_do_not_overwrite_each_other(fake, tmp_path):
    fake.console.files_dir = tmp_path / "made-on-demand"
    await fake.say("alice: /picture", "alice: /picture")
    first, second = fake.outputs[-2].files[0], fake.outputs[-1].files[0]
    assert first != second and first.exists() and second.exists()


async def test_without_a_folder_the_console_makes_one(fake):
    await fake.say("alice: /picture")
    path = fake.outputs[-1].files[0]
    assert path.read_bytes() == PNG and "qunbot-console-" in str(path.parent)


async def test_a_removed_member_leaves_like_on_the_platforms(bot_app, fake):
    await fake.say("bob: hello", "+carol")
    assert await fake.say("alice: /boot @bob") == ["booted bob"]
    assert left == [("bob", True, "qunbot")]
    lobby = GroupRef("console", "lobby", "lobby", "lobby")
    assert not await bot_app.scope("showcase").roster.is_member(lobby, "bob")
    # Removing someone who is not in the group reports nobody leaving.
    await fake.say("alice: /boot @bob")
    assert left == [("bob", True, "qunbot")]
    # A member who leaves by themself is not "removed".
    await fake.say("-carol")
    assert left[-1] == ("carol", False, None)
