"""What the calendars app adds to other pages: the slot picker of the meeting proposal page."""

from mentoring import registry

registry.page_fragment("meetings:propose", "calendars:slots")
