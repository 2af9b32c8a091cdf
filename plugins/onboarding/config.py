"""The ``[plugins.onboarding]`` section: defaults for every group, overrides per group.

Every group setting may be given at the top of the section (the default for all groups) and
again under ``[plugins.onboarding.groups."<platform>:<group id>"]`` for one group; a group
override replaces only the keys it names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from bot import StrictModel
from plugins.onboarding.forms import HARD_INPUT_CAP, compile_pattern
from plugins.onboarding.texts import PLACEHOLDER

if TYPE_CHECKING:
    from bot import GroupRef

__all__ = [
    "DEFAULT_FORM",
    "FieldConfig",
    "GroupSettings",
    "Localized",
    "OnboardingConfig",
]

FieldType = Literal["text", "choice", "multi_choice", "city", "url"]
Visibility = Literal["public", "admins", "hidden"]


class Localized(StrictModel):
    zh: str = ""
    en: str = ""

    def get(self, locale: str) -> str:
        return (self.en or self.zh) if locale == "en" else (self.zh or self.en)

    def __bool__(self) -> bool:
        return bool(self.zh or self.en)


class FieldConfig(StrictModel):
    # Identifier used in name cards ({company}), /profile edit and the CSV header.
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
    type: FieldType = "text"
    question: Localized
    # A short name for /profile, /whois and the CSV header; empty = the key.
    label: Localized = Localized()
    # Shown with a pattern mismatch: what a valid answer looks like.
    hint: Localized = Localized()
    required: bool = True
    min_length: int = Field(default=1, ge=0)
    max_length: int = Field(default=200, ge=1, le=HARD_INPUT_CAP)
    choices: list[str] = Field(default_factory=list)
    # RE2 syntax (linear time, no backreferences or lookaround); the whole answer must match.
    pattern: str | None = None
    visibility: Visibility = "public"
    # Searched by /find.
    searchable: bool = False

    @field_validator("pattern")
    @classmethod
    def _re2_compatible(cls, value: str | None) -> str | None:
        if value is not None:
            compile_pattern(value)  # raises ValueError naming the problem
        return value

    @model_validator(mode="after")
    def _choices_match_type(self) -> FieldConfig:
        if self.type in ("choice", "multi_choice") and not self.choices:
            raise ValueError(f"field {self.key!r} of type {self.type} needs choices")
        if self.min_length > self.max_length:
            raise ValueError(f"field {self.key!r}: min_length is above max_length")
        return self


def _field(key: str, label: tuple[str, str], question: tuple[str, str], **extra: object) -> FieldConfig:
    return FieldConfig(
        key=key, label=Localized(zh=label[0], en=label[1]),
        question=Localized(zh=question[0], en=question[1]), **extra,
    )


DEFAULT_FORM: tuple[FieldConfig, ...] = (
    _field("name", ("称呼", "Name"),
           ("你的称呼（姓名或常用名）？", "Your name (or the name people know you by)?"), max_length=40),
    _field("company", ("公司/产品", "Company/product"), ("你的公司或产品？", "Your company or product?"),
           max_length=60, searchable=True),
    _field("role", ("角色", "Role"),
           ("你的职位或角色（如 运营、产品、开发、创始人）？",
            "Your role (e.g. founder, engineer, marketing)?"),
           max_length=40, searchable=True),
    _field("city", ("城市", "City"), ("你所在的城市？", "Which city are you in?"), type="city", max_length=40,
           searchable=True),
    _field("expertise", ("擅长", "Expertise"),
           ("你擅长什么？可以帮群友解决哪些问题？", "What are you good at? What can you help others with?"),
           max_length=300, searchable=True),
    _field("needs", ("需求", "Needs"),
           ("你目前需要什么帮助或资源？", "What help or resources are you looking for?"),
           max_length=300, searchable=True),
    _field("interests", ("兴趣", "Interests"), ("你的兴趣爱好？", "Your interests?"), max_length=200,
           required=False),
)


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


class GroupSettings(StrictModel):
    # -- welcome and rules --
    welcome: bool = True
    # {name}, {group}, {rules}; empty = the built-in text in the group's language.
    welcome_template: Localized = Localized()
    rules: Localized = Localized()
    delete_previous_welcome: bool = True
    # A join flood: at least flood_joins joins within flood_seconds get one summary welcome.
    flood_joins: int = Field(default=5, ge=2)
    flood_seconds: int = Field(default=10, ge=1)
    # Post the suggested name card in the group when a member completes the form.
    announce_completion: bool = True
    # -- the gate --
    gate: Literal["off", "restrict", "join_request"] = "off"
    timeout_minutes: int = Field(default=10, ge=1, le=7 * 24 * 60)
    on_timeout: Literal["kick", "stay_muted"] = "kick"
    # Gate off: one private reminder after this many hours if the form is still open.
    reminder_hours: int = Field(default=24, ge=1)
    # Let a member through at once who completed the form in another group of this bot.
    trust_other_groups: bool = False
    # -- the form and the directory --
    form: list[FieldConfig] = Field(default_factory=lambda: list(DEFAULT_FORM))
    # Suggested nickname, from answers by key; empty answers and their separators are dropped.
    name_card: str = "{name}-{company}-{role}-{city}"
    # Profiles of members who left are deleted after this many days.
    retention_days: int = Field(default=30, ge=0)

    @model_validator(mode="after")
    def _form_keys_unique(self) -> GroupSettings:
        keys = [f.key for f in self.form]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"form field keys must be unique: {', '.join(duplicates)}")
        if not self.form:
            raise ValueError("the form needs at least one field")
        return self

    def field(self, key: str) -> FieldConfig | None:
        return next((f for f in self.form if f.key == key), None)

    def field_named(self, name: str, locale: str) -> FieldConfig | None:
        """The field a member names by its key or its label: in their language first, then
        in the other (case and runs of spaces do not matter)."""
        wanted = _folded(name)
        for matches in (
            lambda f: f.key == wanted,
            lambda f: _folded(f.label.get(locale)) == wanted,
            lambda f: wanted in (_folded(f.label.zh), _folded(f.label.en)),
        ):
            found = next((f for f in self.form if matches(f)), None)
            if found is not None:
                return found
        return None

    def card_problem(self) -> str | None:
        """Why the name card may not be used: it is posted in the group, so it may name only
        fields everyone there may see."""
        for key in dict.fromkeys(PLACEHOLDER.findall(self.name_card)):
            spec = self.field(key)
            if spec is not None and spec.visibility != "public":
                return (
                    f"name_card names {{{key}}}, a field with visibility = {spec.visibility!r}: the "
                    f"card is shown in the group, so it may name only public fields"
                )
        return None


class OnboardingConfig(GroupSettings):
    # Per group: "platform:group id" -> settings that override the defaults above.
    groups: dict[str, GroupSettings] = Field(default_factory=dict)
    _resolved: dict[str, GroupSettings] = PrivateAttr(default_factory=dict)

    @field_validator("groups")
    @classmethod
    def _group_keys(cls, groups: dict[str, GroupSettings]) -> dict[str, GroupSettings]:
        for key in groups:
            platform, _, guild = key.partition(":")
            if not platform or not guild:
                raise ValueError(f"group key {key!r} must look like platform:group_id, e.g. telegram:-100123")
        return groups

    @model_validator(mode="after")
    def _cards_public(self) -> OnboardingConfig:
        problem = self._merged("").card_problem()
        if problem:
            raise ValueError(problem)
        for key in self.groups:
            problem = self._merged(key).card_problem()
            if problem:
                raise ValueError(f'groups."{key}": {problem}')
        return self

    def _merged(self, key: str) -> GroupSettings:
        """The defaults with the override stored under ``key`` ("" for none)."""
        base = GroupSettings.model_validate(self.model_dump(exclude={"groups"}))
        override = self.groups.get(key)
        if override is not None:
            base = base.model_copy(update={k: getattr(override, k) for k in override.model_fields_set})
        return base

    def for_group(self, group: GroupRef) -> GroupSettings:
        """One group's settings: the defaults with the group's override, found by the group's
        id (what ``/id`` shows), or by its key (an override written before the group's id
        changed, e.g. a Telegram group upgraded to a supergroup)."""
        found = ""
        for key in (f"{group.platform}:{group.id}", f"{group.platform}:{group.key}"):
            if key in self.groups:
                found = key
                break
        if found not in self._resolved:
            self._resolved[found] = self._merged(found)
        return self._resolved[found]
