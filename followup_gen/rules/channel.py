"""Which channel a follow-up should use, and why.

The reference advice: "Email is an easy, simple and fast way to follow up.
However, direct mail is more effective and a much better differentiator",
and "if you have legible handwriting, a handwritten note can be effective".
Each function returns ``(channel, why)``; ``why`` is one sentence for the user.
"""

from __future__ import annotations

import datetime as dt

from followup_gen.records import Contact

Choice = tuple[str, str]


def _add(contact: Contact, what: str) -> str:
    return f"add {what} to {contact.source.path}"


def for_letter(contact: Contact, legible_handwriting: bool) -> Choice:
    """A thank-you: handwritten or mailed when an address is known, else email."""
    if contact.address:
        if legible_handwriting:
            return (
                "handwritten",
                "A handwritten note is effective when your handwriting is legible, "
                "and direct mail stands out more than email.",
            )
        return (
            "mail",
            "Direct mail is more effective than email and a much better differentiator.",
        )
    return (
        "email",
        f"No postal address is known, so email (fast and simple); "
        f"{_add(contact, 'their address')} to send a letter, which stands out more.",
    )


def for_message(contact: Contact, *, prefer_mail: bool) -> Choice:
    """A follow-up or check-in: mail first when ``prefer_mail``, else email."""
    if prefer_mail and contact.address:
        return (
            "mail",
            "Direct mail is more effective than email and a much better differentiator.",
        )
    if contact.email:
        return ("email", "Email is an easy, simple and fast way to stay in touch.")
    if contact.phone:
        return ("phone", f"No email address is known, so call; {_add(contact, 'their email')}.")
    if contact.address:
        return ("mail", "No email address is known; direct mail also stands out more than email.")
    if contact.linkedin:
        return (
            "linkedin",
            f"Only their LinkedIn profile is known; {_add(contact, 'their email')}.",
        )
    return ("email", f"No email, phone or address is known; {_add(contact, 'one')}.")


def for_business_card(today: dt.date, interview_day: dt.date) -> Choice:
    """Ask at the interview itself; once it is past, confirm the details by email."""
    if today <= interview_day:
        return (
            "in-person",
            "Ask each interviewer for their card at the interview: it has the exact "
            "spelling of their name, their title and address.",
        )
    return (
        "email",
        "The interview is past: email to confirm the spelling of their name, "
        "their title and their postal address.",
    )
