"""The ``[plugins.greeter]`` section of config.toml; unknown keys are errors."""

from bot import StrictModel


class GreeterConfig(StrictModel):
    # Largest die a member may roll.
    max_sides: int = 100
    # Post a good-morning message in every group at 08:00 local time.
    morning: bool = True
