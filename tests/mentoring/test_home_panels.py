"""Home is a list of panel objects, one frozen dataclass per app's panel, each naming its template:
what the page and the next-step card read are their fields, never another app's context keys."""

import dataclasses

from django.template.loader import get_template

from mentoring import registry


def test_every_home_panel_is_a_frozen_dataclass_naming_its_template(world):
    built = {}
    for person in (world.admin, world.mentor, world.mentee):
        for panel in registry.home_panels(person):
            built.setdefault(type(panel), panel)
    # Every registered panel is built for someone of the world, and one type is one panel (the
    # next-step card finds a panel by its type).
    assert len(built) == len(registry.HOME_PANELS)
    for kind, panel in built.items():
        assert dataclasses.is_dataclass(panel) and kind.__dataclass_params__.frozen, kind
        get_template(panel.template)


def test_a_panel_is_built_only_for_its_roles(world):
    kinds = {type(panel).__name__ for panel in registry.home_panels(world.admin)}
    assert "MeetingsAdminPanel" in kinds and "MeetingsPanel" not in kinds
    kinds = {type(panel).__name__ for panel in registry.home_panels(world.mentee)}
    assert "MeetingsPanel" in kinds and "MeetingsAdminPanel" not in kinds
