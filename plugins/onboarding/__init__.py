"""Onboarding: welcome and rules, the onboarding form as the gate, and the member directory.

Newcomers are greeted from a per-group template and asked a short form in private chat (or in
paged modals on Discord); depending on the group's gate they are muted until it is done, or
their join request is approved when it is done, and removed or left muted after a timeout.
The answers make a directory members can search (/find, /whois) with per-field visibility.

Parts: ``handlers`` (joins, join requests, leaves, private answers, modal pages), the commands by
concern (``form_commands``, ``rules_commands``, ``directory_commands``, ``admin_commands``),
``jobs`` (the per-minute sweep, retention) and ``hooks`` (its part of ``/forgetme``). They use
``flow`` (the form), ``gate``, ``welcome`` and ``directory``.
"""

from bot import Plugin
from plugins.onboarding.config import OnboardingConfig
from plugins.onboarding.service import Onboarding

__all__ = ["Onboarding", "plugin"]

plugin = Plugin(
    "onboarding",
    config=OnboardingConfig,
    models="plugins.onboarding.models",
    migrations="plugins.onboarding.migrations",
    description="welcome, rules, onboarding form as the gate, member directory",
    parts=(
        "handlers",
        "form_commands",
        "rules_commands",
        "directory_commands",
        "admin_commands",
        "jobs",
        "hooks",
    ),
    demo="""\
:admin carol
carol: /rules
+alice
alice@dm: 张三
alice@dm: 某公司
alice@dm: 运营
alice@dm: 上海市
alice@dm: 社群运营、活动策划
alice@dm: 找一位懂 Telegram 机器人的开发者
alice@dm: /skip
bob: /find 运营
bob: /whois @alice
alice: /profile
carol: /onboarding status""",
)
# The service module is imported above (other plugins import ``Onboarding`` from here), so it
# cannot import ``plugin`` back: it is offered here.
plugin.service(Onboarding)
