"""Messages written the way people write them: through the app's own service."""

from conversations import services
from conversations.models import Message, SharedMessage
from programs.models import Dyad
from tests.meetings.builders import pdf_upload


def write(dyad: Dyad, by, body: str = "Hello", **kwargs) -> Message:
    return services.send_message(dyad=dyad, by=by, body=body, max_bytes=10**6, **kwargs)


def write_with_pdf(dyad: Dyad, by, body: str = "The draft", name: str = "aims.pdf") -> Message:
    return write(dyad, by, body, upload=pdf_upload(name))


def share(message: Message, by, note: str = "") -> SharedMessage:
    return services.share_message(message=message, by=by, note=note)
