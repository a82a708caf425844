"""An audio message is checked by its content, not only its name: a program or a page
renamed .mp3 is refused with the reason."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kafo.actors.models import Role
from kafo.communities.forms import is_audio
from kafo.communities.models import KeyMessage

GOOD = {
    "message.mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00",
    "frame.mp3": b"\xff\xfb\x90\x64\x00\x00",
    "message.ogg": b"OggS\x00\x02\x00\x00",
    "message.opus": b"OggS\x00\x02\x00\x00",
    "message.wav": b"RIFF\x24\x08\x00\x00WAVEfmt ",
    "message.m4a": b"\x00\x00\x00\x20ftypM4A ",
}
BAD = {
    "virus.mp3": b"MZ\x90\x00\x03\x00\x00\x00",
    "page.ogg": b"<html><script>",
    "image.wav": b"\x89PNG\r\n\x1a\n",
    "archive.m4a": b"PK\x03\x04\x14\x00\x00\x00",
}


@pytest.mark.parametrize(("name", "head"), GOOD.items())
def test_real_audio_starts_are_recognised(name, head):
    assert is_audio(head, name)


@pytest.mark.parametrize(("name", "head"), BAD.items())
def test_other_content_under_an_audio_name_is_not(name, head):
    assert not is_audio(head, name)


def test_a_renamed_program_is_refused_on_upload(client, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    page = client.post(reverse("communities:message_add"), {
        "key": "ne-pas-toucher", "language": "fr", "title": "Ne touchez pas",
        "text": "Signalez", "audio": SimpleUploadedFile("message.mp3", BAD["virus.mp3"])},
        follow=True).content.decode()  # fmt: skip
    assert "message.mp3" in page and not KeyMessage.objects.exists()
