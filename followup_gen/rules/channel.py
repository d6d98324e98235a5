"""Which channel a follow-up should use, and why: never one the contact's file cannot support.

The reference advice: "Email is an easy, simple and fast way to follow up.
However, direct mail is more effective and a much better differentiator",
and "if you have legible handwriting, a handwritten note can be effective".
Each function returns a ``Choice``: the channel, a second one to use as well
(or None), and ``why``, one or two sentences for the user. A channel is only
recommended when the file has what it needs (an address for mail, an email
for email); with nothing usable, the advice says what to add.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from followup_gen.records import Contact


class Choice(NamedTuple):
    channel: str
    why: str
    also: str | None = None


def _add(contact: Contact, what: str) -> str:
    return f"add {what} to {contact.source.path}"


def _note(legible_handwriting: bool) -> str:
    return "handwritten" if legible_handwriting else "mail"


_MAIL_WHY = "Direct mail is more effective than email and a much better differentiator"


def _mail(contact: Contact, legible_handwriting: bool) -> Choice:
    if legible_handwriting:
        return Choice(
            "handwritten",
            "A handwritten note is effective when your handwriting is legible, "
            "and direct mail stands out more than email.",
        )
    return Choice("mail", f"{_MAIL_WHY}.")


def _fallback(contact: Contact) -> Choice:
    """No email and no address: what the file has, else what to add."""
    if contact.phone:
        return Choice(
            "phone",
            f"No email or postal address is known, so call; "
            f"{_add(contact, 'an email or postal address')}.",
        )
    if contact.linkedin:
        return Choice(
            "linkedin",
            f"Only their LinkedIn profile is known, so message them there; "
            f"{_add(contact, 'an email or postal address')}.",
        )
    return Choice(
        "other", f"No way to reach them is on file: {_add(contact, 'an email or postal address')}."
    )


def for_letter(contact: Contact, legible_handwriting: bool, *, both: bool = False) -> Choice:
    """A thank-you: handwritten or mailed when an address is known, else email.

    ``both`` (an interview thank-you, a first follow-up): with an email and an
    address, the note by mail and a short email inside the 24–36 hours too.
    """
    if contact.address and contact.email and both:
        note = _note(legible_handwriting)
        kind = "handwritten note" if note == "handwritten" else "letter"
        return Choice(
            note,
            f"Send a {kind} by mail, the better differentiator, and email a short thanks "
            "within 24–36 hours too, as the post may arrive after that window.",
            "email",
        )
    if contact.address:
        return _mail(contact, legible_handwriting)
    if contact.email:
        return Choice(
            "email",
            f"No postal address is known, so email (fast and simple); "
            f"{_add(contact, 'their address')} to send a letter, which stands out more.",
        )
    return _fallback(contact)


def for_message(
    contact: Contact, legible_handwriting: bool = False, *, urgent: bool = False
) -> Choice:
    """A follow-up or check-in: direct mail whenever an address is known, else email.

    ``urgent`` (a note with a deadline): email first, as mail may arrive too late.
    """
    if contact.address and not urgent:
        choice = _mail(contact, legible_handwriting)
        return choice
    if contact.email:
        if urgent:
            return Choice("email", "It cannot wait for the post: email is fast and simple.")
        return Choice(
            "email",
            f"Email is an easy, simple and fast way to stay in touch; "
            f"{_add(contact, 'their address')} to send a note, which stands out more.",
        )
    if contact.address:
        return _mail(contact, legible_handwriting)
    return _fallback(contact)


def for_business_card(contact: Contact, today: dt.date, interview_day: dt.date) -> Choice:
    """Ask at the interview itself; once it is past, confirm the details by email."""
    if today <= interview_day:
        return Choice(
            "in-person",
            "Ask each interviewer for their card at the interview: it has the exact "
            "spelling of their name, their title and address.",
        )
    if not contact.email:
        return _fallback(contact)
    return Choice(
        "email",
        "The interview is past: email to confirm the spelling of their name, "
        "their title and their postal address.",
    )
