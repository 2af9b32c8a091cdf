"""config.toml, validated. Every key is documented in config.example.toml.

Unknown keys and wrong types stop start-up with a message naming the key and the file. Secrets
(platform tokens, the database URL) may come from the environment instead of the file.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.refs import GroupRef

__all__ = [
    "DEFAULTS",
    "PerGroupConfig",
    "BotSection",
    "Config",
    "ConfigError",
    "ConsoleSection",
    "DatabaseSection",
    "DiscordSection",
    "LoggingSection",
    "PluginsSection",
    "StrictModel",
    "TelegramSection",
    "format_validation_error",
    "load_config",
]

ENV_CONFIG = "QUNBOT_CONFIG"
# The source of a config read from no file.
DEFAULTS = "(defaults)"
ENV_SECRETS = {
    ("telegram", "token"): "QUNBOT_TELEGRAM_TOKEN",
    ("discord", "token"): "QUNBOT_DISCORD_TOKEN",
    ("database", "url"): "QUNBOT_DATABASE_URL",
}
# Settings an operator may switch for one run without editing the file.
ENV_SETTINGS = {
    ("logging", "personal_data"): "QUNBOT_LOG_PERSONAL_DATA",
}


class ConfigError(Exception):
    """A config problem, phrased for the person who wrote the file."""


class StrictModel(BaseModel):
    """Base for every config section, plugins' included: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PerGroupConfig(StrictModel):
    """A plugin section whose settings a group may change::

        [plugins.checkin.groups."telegram:-1001234"]
        remind_at = "20:30"

    Declare ``class CheckinConfig(PerGroupConfig, CheckinSettings)``: each group's table is
    validated as ``CheckinSettings`` over the section's own values, and ``for_group(group)``
    finds it by the group's current id or by its key (an id it had before a migration)."""

    groups: dict[str, dict[str, Any]] = Field(default_factory=dict)
    _resolved: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _resolve_groups(self) -> PerGroupConfig:
        settings = self._settings_model()
        defaults = self.model_dump(exclude={"groups"})
        for key, override in self.groups.items():
            platform, _, group_id = key.partition(":")
            if not platform or not group_id:
                raise ValueError(f"groups.{key!r}: the key must look like platform:group_id")
            try:
                self._resolved[key] = settings.model_validate({**defaults, **override})
            except ValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
                )
                raise ValueError(f"groups.{key!r}: {problems}") from None
        return self

    @classmethod
    def _settings_model(cls) -> type[StrictModel]:
        for base in cls.__mro__[1:]:
            if issubclass(base, StrictModel) and not issubclass(base, PerGroupConfig):
                return base
        raise TypeError(f"{cls.__name__} must also derive from its settings model")

    def for_group(self, group: GroupRef | None) -> Any:
        """The settings of ``group`` (None: a private chat, the section's own)."""
        if group is None:
            return self
        for name in (group.id, group.key):
            found = self._resolved.get(f"{group.platform}:{name}")
            if found is not None:
                return found
        return self

    def every_group(self) -> list[Any]:
        """The section's own settings and every group's."""
        return [self, *self._resolved.values()]


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: an area such as "Asia"
        raise ValueError(f"unknown IANA timezone {value!r} (e.g. Asia/Shanghai)") from None
    return value


class BotSection(StrictModel):
    name: str = "qunbot"
    # Default language of replies: zh or en. Groups and members may choose their own.
    locale: Literal["zh", "en"] = "zh"
    # Default timezone of groups (IANA name); each group may set its own.
    timezone: str = "Asia/Shanghai"
    # Bot owners as "platform:user_id", e.g. "telegram:12345" or "console:alice".
    owners: list[str] = Field(default_factory=list)
    # Per-member command rate limit: at most `command_rate` commands in `command_window` seconds.
    command_rate: int = Field(default=6, ge=1)
    command_window: float = Field(default=20.0, gt=0)
    # Members whose account, roster row and XP cooldown are kept in memory (the most recently
    # active; about 1 KB each). Past that a member's next message reads them back.
    member_cache: int = Field(default=10_000, ge=1)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    _tz = field_validator("timezone")(_check_timezone)

    @field_validator("owners")
    @classmethod
    def _owners_have_platform(cls, owners: list[str]) -> list[str]:
        for owner in owners:
            platform, _, user_id = owner.partition(":")
            if not platform or not user_id:
                raise ValueError(f"owner {owner!r} must look like platform:user_id")
        return owners


class DatabaseSection(StrictModel):
    # sqlite:///path or postgres://user@host:port/db. Default: ./data/qunbot.sqlite3
    url: str = "sqlite://data/qunbot.sqlite3"

    @field_validator("url")
    @classmethod
    def _supported(cls, url: str) -> str:
        scheme = url.partition("://")[0].lower()
        if scheme not in ("sqlite", "postgres", "postgresql"):
            raise ValueError(
                f"{scheme or url!r} is not a supported database: use sqlite://PATH or "
                "postgres://USER@HOST:PORT/DATABASE"
            )
        return url


class TelegramSection(StrictModel):
    token: str = Field(default="", repr=False)
    base_url: str = "https://api.telegram.org/bot"
    mode: Literal["polling", "webhook"] = "polling"
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_path: str = "/telegram"
    webhook_url: str = ""
    webhook_secret: str = Field(default="", repr=False)
    poll_timeout: int = Field(default=30, ge=0, le=50)

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> TelegramSection:
        if self.mode == "webhook" and not self.webhook_url:
            raise ValueError(
                'mode = "webhook" needs webhook_url: the public https URL Telegram posts to'
            )
        return self


class DiscordSection(StrictModel):
    token: str = Field(default="", repr=False)
    api_base: str = ""
    gateway_url: str = ""
    dev_guild_ids: list[str] = Field(default_factory=list)
    shards: int = Field(default=0, ge=0)


class LoggingSection(StrictModel):
    # At DEBUG, the platform libraries and the database log raw updates, API and SQL
    # parameters: members' names, messages and form answers. They are left out unless this is
    # true (or QUNBOT_LOG_PERSONAL_DATA=1).
    personal_data: bool = False


class ConsoleSection(StrictModel):
    # Name of the group the console starts in.
    group: str = "lobby"


class PluginsSection(BaseModel):
    """``enabled``: plugin names to load (default: every installed one). Every other key is a
    plugin's own section, validated by that plugin's schema when it loads."""

    model_config = ConfigDict(extra="allow", frozen=True)

    enabled: list[str] | None = None
    disabled: list[str] = Field(default_factory=list)

    def section(self, name: str) -> dict[str, Any]:
        extra = self.model_extra or {}
        value = extra.get(name, {})
        return value if isinstance(value, dict) else {"__invalid__": value}


class Config(StrictModel):
    bot: BotSection = BotSection()
    database: DatabaseSection = DatabaseSection()
    telegram: TelegramSection = TelegramSection()
    discord: DiscordSection = DiscordSection()
    console: ConsoleSection = ConsoleSection()
    logging: LoggingSection = LoggingSection()
    plugins: PluginsSection = PluginsSection()
    # Where this config came from, for error messages.
    _source: str = PrivateAttr(default=DEFAULTS)

    @property
    def source(self) -> str:
        return self._source

    def secrets(self) -> list[str]:
        """Values that must never reach a log line."""
        return [s for s in (self.telegram.token, self.discord.token, self.telegram.webhook_secret) if s]


def format_validation_error(error: ValidationError, source: str, prefix: str = "") -> str:
    lines = [f"invalid config in {source}:"]
    for item in error.errors():
        path = [*(prefix.split(".") if prefix else ()), *item["loc"]]
        key = ".".join(str(p) for p in path)
        if item["type"] == "extra_forbidden":
            lines.append(f"  {key}: unknown key")
        else:
            # pydantic prefixes a validator's own words with "Value error, ".
            lines.append(f"  {key}: {item['msg'].removeprefix('Value error, ')}")
    return "\n".join(lines)


def load_config(path: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None) -> Config:
    """Read and validate the config. ``path`` None: $QUNBOT_CONFIG, else ./config.toml if present,
    else defaults. Raises :class:`ConfigError`."""
    env = os.environ if env is None else env
    explicit = path or env.get(ENV_CONFIG)
    file = Path(explicit) if explicit else Path("config.toml")
    data: dict[str, Any] = {}
    if file.exists():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file}: not valid TOML: {exc}") from None
        source = str(file)
    elif explicit:
        raise ConfigError(f"config file not found: {file}")
    else:
        source = DEFAULTS
    for (section, key), var in {**ENV_SECRETS, **ENV_SETTINGS}.items():
        if env.get(var):
            data.setdefault(section, {})
            if isinstance(data[section], dict):
                data[section][key] = env[var]
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, source)) from None
    config._source = source
    return config
