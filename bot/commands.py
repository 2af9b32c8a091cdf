"""Command specs, typed arguments, text parsing and help.

A command's arguments are read from its handler's signature, so a declaration is the function
itself::

    @plugin.command("points give", level=PermissionLevel.ADMIN, description="points.cmd.give")
    async def give(ctx, user: User, amount: int, reason: Rest = "") -> None: ...

Supported annotations: ``str`` (one word or a quoted string), ``int`` (ASCII or full-width digits,
thousands separated by commas only in groups of three: ``1,000``; ``1,0,0`` and other scripts'
digits are refused), ``User`` (a mention of a current member of the group; ``AskUser``: the
handler receives :class:`Ambiguous` when several members answer to the name, to ask which),
``timedelta`` (``30s``, ``12h``, ``3d``, ``1h30m``), ``date`` (``2025-12-04``, ``12-04``,
``12月4日``, ``today``/``今天``, ``yesterday``/``昨天``, ``前天``: a day in the group's
timezone, never in the future), ``Literal["a", "b"]`` (choices) and ``Rest`` (the rest of the
line). A parameter with a default is optional.

A plugin's catalog may give, per language, the words members type for a choice and the
placeholder names shown in usage lines (``/积分 转账 <成员> <数量>``), and examples for
``/help COMMAND``::

    [choices]
    week = "本周|这周"          # /排行榜 本周 == /top week; the first word is shown in usage
    [placeholders]
    user = "成员"
    [examples]
    "points.give" = "/积分 转账 @alice 5 谢谢"   # one example a line

Names in other languages come from each plugin's locale catalog, one word at a time (Discord
localizes a sub-command group and a sub-command separately): in ``locales/zh.toml``::

    [names]
    checkin = "签到"
    "checkin.stats" = "统计"

makes ``/签到 统计`` (and ``/checkin 统计``) run ``/checkin stats``. See :meth:`CommandRegistry.localize`.
"""

from __future__ import annotations

import enum
import hashlib
import inspect
import json
import re
import shlex
import typing
import unicodedata
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from bot.events import User
from bot.i18n import LOCALES, Catalog
from bot.message import Mention
from bot.permissions import PermissionLevel

__all__ = [
    "Ambiguous",
    "Arg",
    "ArgError",
    "ArgKind",
    "AskUser",
    "CommandRegistry",
    "CommandSpec",
    "Rest",
    "format_duration",
    "normalize_word",
    "parse_date",
    "parse_int",
    "parse_duration",
    "split_command",
]

Rest = Annotated[str, "rest-of-line"]
AskUser = Annotated[User, "ask-if-ambiguous"]
# ``@handle`` -> the current members of the group it names (several: an ambiguous name).
MentionResolver = Callable[[str], Awaitable[User | Sequence[User] | None]]
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
# A localized word: Discord's ^[-_\p{L}\p{N}...]{1,32}$ (lowercase), narrowed to what the text
# parser reads as one word (no Devanagari/Thai combining marks).
_LOCAL_NAME = re.compile(r"[\w-]{1,32}")
# The built-in commands' plugin is "core"; their texts live under "bot" (bot/locales).
_CATALOG_NAMESPACES = {"core": "bot"}
_DURATION = re.compile(r"(\d+)\s*([smhdw])", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_MAX_INT = 10**12
# A whole number: digits, or digits in groups of three separated by commas (1,000,000).
_INT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)")


@dataclass(frozen=True, slots=True)
class Ambiguous:
    """What an ``AskUser`` argument receives when several members answer to what was typed
    (two members called Zed without usernames): the handler asks which (buttons), never
    guesses. ``users`` are the candidates, all current members of the group."""

    typed: str
    users: tuple[User, ...]


class ArgKind(enum.StrEnum):
    STR = "str"
    INT = "int"
    USER = "user"
    DURATION = "duration"
    CHOICE = "choice"
    DATE = "date"
    REST = "rest"


@dataclass(frozen=True, slots=True)
class Arg:
    name: str
    kind: ArgKind
    required: bool = True
    default: Any = None
    choices: tuple[str, ...] = ()
    # USER: hand an ambiguous name to the handler (AskUser) instead of refusing it.
    ask: bool = False

    def usage(self) -> str:
        label = "|".join(self.choices) if self.kind is ArgKind.CHOICE else self.name
        if self.kind is ArgKind.REST:
            label += "..."
        return f"<{label}>" if self.required else f"[{label}]"


class ArgError(Exception):
    """Bad or missing arguments. ``key`` is a locale key; the reply adds the usage line."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(eq=False, slots=True)
class CommandSpec:
    name: str
    handler: Callable[..., Awaitable[Any]]
    plugin: str
    args: tuple[Arg, ...]
    description: str = ""
    level: PermissionLevel = PermissionLevel.MEMBER
    # A specific platform right the caller (and the bot) must hold, e.g. "restrict" for kicks.
    right: str | None = None
    guild_only: bool = False
    private_only: bool = False
    aliases: tuple[str, ...] = ()
    hidden: bool = False
    # Plugins that need message content (Discord intent) are disarmed without it.
    extra: dict[str, Any] = field(default_factory=dict)
    # locale -> the name in that language, word for word ({"zh": "签到 统计"}); words without
    # a translation stay as they are. Filled in by CommandRegistry.localize.
    localized: dict[str, str] = field(default_factory=dict)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.name.split())

    def localized_words(self, locale: str) -> tuple[str, ...]:
        return tuple(self.localized.get(locale, self.name).split())

    def usage(self) -> str:
        return " ".join(["/" + self.name, *(a.usage() for a in self.args)])


# Command names are ASCII, their localized aliases any letters (/签到). Chinese input methods
# type a full-width slash (／签到) and end a word with punctuation (/签到！): both are read.
_END_PUNCTUATION = "!！。.?？~～"
_COMMAND_TEXT = re.compile(
    rf"^[/／]([\w-]{{1,32}})(?:@([A-Za-z0-9_]{{1,64}}))?[{_END_PUNCTUATION}]*(?:\s+(.*))?$", re.DOTALL
)


def normalize_word(text: str) -> str:
    """A word as members type it, for comparing with a plain keyword (``签到！``, ``Checkin.``,
    full-width ``ｃｈｅｃｋｉｎ``): NFKC, lower case, without surrounding spaces, punctuation
    and symbols (emoji included)."""
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    start, end = 0, len(text)
    while start < end and _is_edge(text[start]):
        start += 1
    while end > start and _is_edge(text[end - 1]):
        end -= 1
    return text[start:end]


def _is_edge(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in "PSZ" or char in "\ufe0f\u200d"


def split_command(text: str, bot_username: str) -> tuple[str, str] | None:
    """``/name@bot args`` -> (name, args). None when it is not a command, or is addressed to
    another bot (``/cmd@otherbot`` in a group with several bots)."""
    match = _COMMAND_TEXT.match(text.strip())
    if match is None:
        return None
    name, addressee, rest = match.groups()
    if addressee and addressee.lower() != bot_username.lower():
        return None
    return name.lower(), (rest or "").strip()


def parse_duration(text: str) -> timedelta:
    text = text.strip().lower()
    if not text or _DURATION.sub("", text).strip():
        raise ArgError("bot.args.bad_duration", value=text)
    seconds = sum(int(n) * _UNIT_SECONDS[u.lower()] for n, u in _DURATION.findall(text))
    if seconds <= 0 or seconds > 366 * 86400:
        raise ArgError("bot.args.bad_duration", value=text)
    return timedelta(seconds=seconds)


_DAY_WORDS = {
    "today": 0, "今天": 0, "今日": 0,
    "yesterday": 1, "昨天": 1, "昨日": 1,
    "前天": 2, "前日": 2,
}
_DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})[日号]?"),
    re.compile(r"(?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})[日号]?"),
)


def parse_date(text: str, today: date) -> date:
    """A day as members write it (see the module docstring); ``today`` is the group's. A
    month and day without a year is the latest such day that is not after today."""
    word = normalize_word(text)
    if word in _DAY_WORDS:
        return today - timedelta(days=_DAY_WORDS[word])
    for form in _DATE_FORMS:
        match = form.fullmatch(word)
        if match is None:
            continue
        parts = match.groupdict()
        year = int(parts["y"]) if parts.get("y") else today.year
        try:
            day = date(year, int(parts["m"]), int(parts["d"]))
            if parts.get("y") is None and day > today:
                day = date(year - 1, day.month, day.day)
        except ValueError:
            break
        return day
    raise ArgError("bot.args.bad_date", value=text)


def parse_int(token: str, name: str = "amount") -> int:
    """A whole number as members type it: ASCII digits, or the full-width ones Chinese input
    methods type (``５``, ``１，０００``), with an optional sign and thousands separated by
    commas in groups of three. ``1,0,0``, ``1_000`` and other scripts' digits (Arabic-Indic
    ``٥``) are refused rather than guessed at; beyond 10^12 is too large."""
    text = unicodedata.normalize("NFKC", token.strip())
    if not text.isascii() or not _INT.fullmatch(text):
        raise ArgError("bot.args.not_int", name=name, value=token)
    value = int(text.replace(",", ""))
    if abs(value) > _MAX_INT:
        raise ArgError("bot.args.too_large", name=name, value=token, max=f"{_MAX_INT:,}")
    return value


def format_duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"


def _arg_from_parameter(param: inspect.Parameter, hint: Any) -> Arg:
    required = param.default is inspect.Parameter.empty
    default = None if required else param.default
    origin = typing.get_origin(hint)
    if origin is Annotated:
        base, *meta = typing.get_args(hint)
        if base is str and "rest-of-line" in meta:
            return Arg(param.name, ArgKind.REST, required, default)
        if base is User and "ask-if-ambiguous" in meta:
            return Arg(param.name, ArgKind.USER, required, default, ask=True)
        hint = base
        origin = typing.get_origin(hint)
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(inner) == 1:
            return _arg_from_parameter(param, inner[0])
    if origin is Literal:
        return Arg(param.name, ArgKind.CHOICE, required, default, tuple(typing.get_args(hint)))
    kinds = {
        str: ArgKind.STR, int: ArgKind.INT, User: ArgKind.USER, timedelta: ArgKind.DURATION,
        date: ArgKind.DATE,
    }
    if hint in kinds:
        return Arg(param.name, kinds[hint], required, default)
    raise TypeError(f"unsupported command argument type for {param.name!r}: {hint!r}")


def args_from_handler(handler: Callable[..., Any]) -> tuple[Arg, ...]:
    """Arguments after the first (``ctx``) parameter, from annotations."""
    hints = typing.get_type_hints(handler, include_extras=True)
    params = list(inspect.signature(handler).parameters.values())[1:]
    args = tuple(_arg_from_parameter(p, hints.get(p.name, str)) for p in params)
    for earlier, later in zip(args, args[1:], strict=False):
        if earlier.kind is ArgKind.REST:
            raise TypeError("a Rest argument must be the last one")
        if not earlier.required and later.required:
            raise TypeError(f"required argument {later.name!r} follows an optional one")
    return args


def _straighten(text: str) -> str:
    # Chinese input methods produce curly quotes; treat them as plain quotes (same length).
    return text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")


def _tokenize(text: str) -> list[str]:
    try:
        return shlex.split(_straighten(text), posix=True)
    except ValueError:
        raise ArgError("bot.args.unbalanced_quote") from None


class CommandRegistry:
    """Every command of every loaded plugin, under one namespace."""

    def __init__(self) -> None:
        self._specs: dict[str, CommandSpec] = {}
        self._aliases: dict[str, str] = {}
        # (parent word path, localized word) -> the word's canonical name, for text commands.
        self._local_words: dict[tuple[tuple[str, ...], str], str] = {}
        self._catalog: Catalog | None = None

    def add(self, spec: CommandSpec) -> None:
        for word in spec.words:
            if not _NAME.match(word):
                raise ValueError(f"bad command name {spec.name!r}: lowercase letters, digits, _")
        for name in (spec.name, *spec.aliases):
            if name in self._specs or name in self._aliases:
                owner = (self._specs.get(name) or self._specs[self._aliases[name]]).plugin
                raise ValueError(f"command /{name} of {spec.plugin} is already defined by {owner}")
        self._specs[spec.name] = spec
        for alias in spec.aliases:
            self._aliases[alias] = spec.name
        if self._catalog is not None:
            self.localize(self._catalog)

    def localize(self, catalog: Catalog) -> None:
        """Give every command its names in other languages, from the ``[names]`` tables of the
        plugins' locale files: keys are word paths (``checkin``, ``"checkin.stats"``), values
        one word each. Raises ValueError naming the plugin and key of an entry that is not a
        valid name, names no command of the plugin, or clashes with a sibling command."""
        self._catalog = catalog
        owners: dict[tuple[str, ...], set[str]] = {}
        for spec in self._specs.values():
            for depth in range(1, len(spec.words) + 1):
                owners.setdefault(spec.words[:depth], set()).add(spec.plugin)
        words: dict[str, dict[tuple[str, ...], str]] = {}
        origins: dict[tuple[str, tuple[str, ...]], str] = {}
        for locale, plugin, path, word in _catalog_names(catalog):
            where = f"plugin {plugin}: locales/{locale}.toml [names] {'.'.join(path)!r}"
            if plugin not in owners.get(path, ()):
                raise ValueError(f"{where}: {plugin} has no command /{' '.join(path)}")
            if not _LOCAL_NAME.fullmatch(word) or word != word.lower():
                raise ValueError(
                    f"{where}: {word!r} is not a command name "
                    "(one word of 1-32 lowercase letters, digits, - or _)"
                )
            known = words.setdefault(locale, {}).setdefault(path, word)
            if known != word:
                raise ValueError(f"{where}: {word!r}, but {origins[locale, path]} names it {known!r}")
            origins[locale, path] = f"plugin {plugin}"
        self._local_words = self._word_aliases(words, owners, origins)
        for name, spec in self._specs.items():
            localized = {
                locale: " ".join(
                    table.get(spec.words[:d], spec.words[d - 1]) for d in range(1, len(spec.words) + 1)
                )
                for locale, table in words.items()
            }
            self._specs[name] = replace(spec, localized={k: v for k, v in localized.items() if v != name})

    def _word_aliases(
        self,
        words: dict[str, dict[tuple[str, ...], str]],
        owners: dict[tuple[str, ...], set[str]],
        origins: dict[tuple[str, tuple[str, ...]], str],
    ) -> dict[tuple[tuple[str, ...], str], str]:
        """Localized word -> canonical word under the same parent; two commands side by side
        may not answer to the same word in any language (Discord refuses it, and /word would
        be ambiguous)."""
        aliases: dict[tuple[tuple[str, ...], str], str] = {}
        for locale, table in words.items():
            for path, word in table.items():
                parent, canonical = path[:-1], path[-1]
                clash = aliases.get((parent, word))
                if clash is None and (*parent, word) in owners:  # a sibling's own name
                    clash = word
                if clash is None and not parent and word in self._aliases:  # e.g. /start
                    clash = self._aliases[word]
                if clash is not None and clash != canonical:
                    where = f"{origins[locale, path]}: locales/{locale}.toml [names] {'.'.join(path)!r}"
                    raise ValueError(f"{where}: {word!r} is already /{' '.join((*parent, clash))}")
                aliases[parent, word] = canonical
        return aliases

    def __iter__(self):
        return iter(sorted(self._specs.values(), key=lambda s: s.name))

    def __len__(self) -> int:
        return len(self._specs)

    def get(self, name: str) -> CommandSpec | None:
        name = self._aliases.get(name, name)
        return self._specs.get(name)

    def groups(self) -> dict[str, list[CommandSpec]]:
        """Top-level name -> specs (a command and its subcommands), for platform menus."""
        out: dict[str, list[CommandSpec]] = {}
        for spec in self:
            out.setdefault(spec.words[0], []).append(spec)
        return out

    def parent(self, name: str) -> str | None:
        """The canonical first word of ``/name`` (an alias or localized word too) when commands
        live under it (``/积分`` -> ``points``); None for a name nothing answers to."""
        first = self._aliases.get(name) or self._local_words.get(((), name), name)
        first = first.split()[0]
        return first if any(s.words[0] == first for s in self._specs.values()) else None

    def children(self, words: Sequence[str]) -> list[CommandSpec]:
        """The commands under a word path (``("points",)``: ``points give``, ...), the path's
        own command first when it is one."""
        path = tuple(words)
        return [s for s in self if s.words[: len(path)] == path]

    def _text(self, plugin: str, key: str, locale: str) -> str | None:
        """A catalog text of ``plugin`` in exactly ``locale`` (no other language), or None."""
        catalog = self._catalog
        full = f"{_CATALOG_NAMESPACES.get(plugin, plugin)}.{key}"
        if catalog is None or not catalog.has(full, locale):
            return None
        return _raw_text(catalog, full, locale)

    def _choice_text(self, spec: CommandSpec, value: str, locale: str) -> str | None:
        """The words of a choice: the plugin's ``[choices]``, else the core's generic ones
        (``on``, ``week``, ...)."""
        return self._text(spec.plugin, f"choices.{value}", locale) or self._text(
            "core", f"choices.{value}", locale
        )

    def placeholder(self, spec: CommandSpec, name: str, locale: str) -> str:
        """An argument's name as a reader of ``locale`` sees it in usage lines and errors."""
        return (
            self._text(spec.plugin, f"placeholders.{name}", locale)
            or self._text("core", f"placeholders.{name}", locale)
            or name
        )

    def choice_words(self, spec: CommandSpec, arg: Arg, locale: str | None = None) -> dict[str, str]:
        """Typed word -> choice value: the values themselves and the catalog's ``[choices]``
        words (of ``locale``, or of every language)."""
        words = {value.lower(): value for value in arg.choices}
        for loc in (locale,) if locale else LOCALES:
            for value in arg.choices:
                text = self._choice_text(spec, value, loc)
                for word in (text or "").split("|"):
                    if normalize_word(word):
                        words.setdefault(normalize_word(word), value)
        return words

    def usage(self, spec: CommandSpec, locale: str) -> str:
        """``/积分 转账 <成员> <数量> [原因...]``: the command's words and placeholders in the
        reader's language (English names where a catalog gives none)."""
        parts = ["/" + " ".join(spec.localized_words(locale))]
        for arg in spec.args:
            if arg.kind is ArgKind.CHOICE:
                shown = []
                for value in arg.choices:
                    text = self._choice_text(spec, value, locale)
                    shown.append(text.split("|")[0].strip() if text else value)
                label = "|".join(shown)
            else:
                label = self.placeholder(spec, arg.name, locale)
            if arg.kind is ArgKind.REST:
                label += "..."
            parts.append(f"<{label}>" if arg.required else f"[{label}]")
        return " ".join(parts)

    def error_params(self, spec: CommandSpec, error: ArgError, locale: str) -> dict[str, Any]:
        """An argument error's parameters for a reader of ``locale``: the argument's name as
        its placeholder, a choice's words in that language."""
        params = dict(error.params)
        arg = next((a for a in spec.args if a.name == params.get("name")), None)
        if arg is not None:
            params["name"] = self.placeholder(spec, arg.name, locale)
            if "choices" in params:
                words = []
                for value in arg.choices:
                    text = self._choice_text(spec, value, locale)
                    words.append(text.split("|")[0].strip() if text else value)
                params["choices"] = ", ".join(words)
        return params

    def examples(self, spec: CommandSpec, locale: str) -> list[str]:
        """The catalog's ``[examples]`` lines of a command (``"points.give"``), if any."""
        catalog = self._catalog
        key = f"{_CATALOG_NAMESPACES.get(spec.plugin, spec.plugin)}.examples.{'.'.join(spec.words)}"
        if catalog is None or not (catalog.has(key, locale) or any(catalog.has(key, o) for o in LOCALES)):
            return []
        return [line.strip() for line in _raw_text(catalog, key, locale).splitlines() if line.strip()]

    def resolve(self, name: str, text: str) -> tuple[CommandSpec | None, str]:
        """Find ``/name sub rest``: the longest registered name wins (``points give``)."""
        first = self._aliases.get(name) or self._local_words.get(((), name), name)
        rest = text.strip()
        head, _, tail = rest.partition(" ")
        word = self._local_words.get((tuple(first.split()), head.lower()), head.lower())
        sub = f"{first} {word}" if head else ""
        if sub and sub in self._specs:
            return self._specs[sub], tail.strip()
        return self._specs.get(first), rest

    async def parse_text(
        self,
        spec: CommandSpec,
        text: str,
        mentions: Sequence[Mention] = (),
        resolve_mention: MentionResolver | None = None,
        *,
        today: date | None = None,
    ) -> dict[str, Any]:
        """The handler's arguments from the text after the command; ``today`` (the group's
        date) reads relative days (``昨天``)."""
        text, placeholders = _mark_mentions(text, mentions)
        # A command made of one Rest argument takes the text as it is (quotes included).
        only_rest = bool(spec.args) and all(a.kind is ArgKind.REST for a in spec.args)
        tokens = [] if only_rest else _tokenize(text)
        values: dict[str, Any] = {}
        consumed = 0
        for arg in spec.args:
            if arg.kind is ArgKind.REST:
                # The raw text (quotes kept) after the words the earlier arguments took.
                rest = _text_after(text, consumed)
                if not rest and arg.required:
                    raise ArgError("bot.args.missing", name=arg.name)
                values[arg.name] = _unmark(rest, placeholders) if rest else arg.default
                tokens = []
                break
            if not tokens:
                if arg.required:
                    raise ArgError("bot.args.missing", name=arg.name)
                values[arg.name] = arg.default
                continue
            token = tokens.pop(0)
            consumed += 1
            values[arg.name] = await self._convert(spec, arg, token, placeholders, resolve_mention, today)
        if tokens:
            raise ArgError("bot.args.too_many", extra=" ".join(tokens))
        return values

    async def _convert(
        self,
        spec: CommandSpec,
        arg: Arg,
        token: str,
        placeholders: dict[str, Mention],
        resolve_mention: MentionResolver | None,
        today: date | None,
    ) -> Any:
        if arg.kind is ArgKind.CHOICE:
            value = self.choice_words(spec, arg).get(normalize_word(token))
            if value is None:
                choices = ", ".join(arg.choices)
                raise ArgError("bot.args.not_choice", name=arg.name, value=token, choices=choices)
            return value
        return await _convert(arg, token, placeholders, resolve_mention, today)

    async def parse_options(
        self, spec: CommandSpec, options: dict[str, Any], *, today: date | None = None
    ) -> dict[str, Any]:
        """Validate already-typed platform options (Discord slash) against the spec."""
        values: dict[str, Any] = {}
        for arg in spec.args:
            value = options.get(arg.name)
            if value is None or value == "":
                if arg.required:
                    raise ArgError("bot.args.missing", name=arg.name)
                values[arg.name] = arg.default
            elif isinstance(value, User) or arg.kind is ArgKind.REST:
                values[arg.name] = value
            else:
                values[arg.name] = await self._convert(spec, arg, str(value), {}, None, today)
        return values

    def signature(self, texts: Mapping[str, Mapping[str, str]] | None = None) -> str:
        """A hash of the command set (with its localized names and, when given, the texts
        shown for it), so platform menus are re-synced only when it changes."""
        data = [
            [
                s.name,
                s.description,
                int(s.level),
                s.guild_only,
                [a.usage() for a in s.args],
                sorted(s.localized.items()),
            ]
            for s in self
            if not s.hidden
        ]
        data.append(texts or {})
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def _catalog_names(catalog: Catalog) -> list[tuple[str, str, tuple[str, ...], str]]:
    """(locale, plugin, word path, localized word) for every ``[names]`` entry."""
    plugins = {namespace: plugin for plugin, namespace in _CATALOG_NAMESPACES.items()}
    found = []
    for locale in LOCALES:
        for key in sorted(catalog.keys(locale)):
            namespace, _, tail = key.partition(".")
            if tail.startswith("names."):
                path = tuple(tail.removeprefix("names.").split("."))
                text = _raw_text(catalog, key, locale)
                found.append((locale, plugins.get(namespace, namespace), path, text))
    return found


def _raw_text(catalog: Catalog, key: str, locale: str) -> str:
    try:
        return catalog.t(key, locale)
    except (ValueError, IndexError):  # braces the formatter chokes on: not a name either way
        return "{?}"


def _mark_mentions(text: str, mentions: Sequence[Mention]) -> tuple[str, dict[str, Mention]]:
    """Replace each resolved mention's visible text by a placeholder token, so a display
    name with spaces ("John Smith" from a Telegram text_mention) stays one argument. Longer
    names first and whole words only, so "@user1" never bites into "@user10"."""
    placeholders: dict[str, Mention] = {}
    order = sorted(
        (i for i, m in enumerate(mentions) if m.user_id), key=lambda i: -len(mentions[i].name)
    )
    for i in order:
        mention = mentions[i]
        bare = mention.name.lstrip("@")
        for candidate in (f"@{bare}", bare):
            pattern = re.compile(rf"(?<![\w@]){re.escape(candidate)}(?!\w)")
            if candidate and pattern.search(text):
                token = f"@\x01{i}\x02"
                text = pattern.sub(lambda _m, token=token: token, text, count=1)
                placeholders[token] = mention
                break
    return text, placeholders


def _unmark(text: str, placeholders: dict[str, Mention]) -> str:
    for token, mention in placeholders.items():
        text = text.replace(token, "@" + mention.name.lstrip("@"))
    return text


def _text_after(text: str, words: int) -> str:
    """The raw text (quotes kept) after its first ``words`` shell words: where the lexer stopped,
    not where the next word first appears (it may also sit inside an earlier one)."""
    if not words:
        return text.strip()
    lexer = shlex.shlex(_straighten(text), posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    for _ in range(words):
        lexer.get_token()
    return text[lexer.instream.tell() :].strip()


async def _convert(
    arg: Arg,
    token: str,
    placeholders: dict[str, Mention],
    resolve_mention: MentionResolver | None,
    today: date | None = None,
) -> Any:
    if arg.kind is ArgKind.STR or arg.kind is ArgKind.REST:
        return token
    if arg.kind is ArgKind.INT:
        return parse_int(token, arg.name)
    if arg.kind is ArgKind.DURATION:
        return parse_duration(token)
    if arg.kind is ArgKind.DATE:
        return parse_date(token, today or datetime.now(UTC).date())
    if arg.kind is ArgKind.CHOICE:
        lowered = token.lower()
        if lowered not in arg.choices:
            raise ArgError("bot.args.not_choice", name=arg.name, value=token, choices=", ".join(arg.choices))
        return lowered
    if arg.kind is ArgKind.USER:
        if token in placeholders:
            mention = placeholders[token]
            return User(id=mention.user_id, name=mention.name.lstrip("@"))
        if token.startswith("@") and len(token) > 1:
            found = await resolve_mention(token[1:]) if resolve_mention is not None else None
            users = [found] if isinstance(found, User) else list(found or ())
            if len(users) == 1:
                return users[0]
            if users:
                if arg.ask:
                    return Ambiguous(token, tuple(users))
                raise ArgError("bot.args.ambiguous_user", name=arg.name, value=token, count=len(users))
            # A mention, of someone the bot has not seen as a member of this group.
            raise ArgError("bot.args.unknown_user", name=arg.name, value=token)
        raise ArgError("bot.args.not_user", name=arg.name, value=token)
    raise AssertionError(arg.kind)
