"""What the records say happened, as a letter needs to know it.

A letter may only say what happened: "meeting you" needs a meeting, "my
interviewing" needs an interview, "thank you for the introduction to Marcus
Wong" needs to know who Marcus is. The rules say *that* a letter is due;
this module reads the CRM for the facts its words rest on (``Story``), and
for the news of the whole search that a check-in shares (``Search``). Both
are plain frozen values, so a letter page whose story is unchanged is kept
between builds (``drafts.letter_pages``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from followup_gen.records import CRM, Contact, Interaction, Opportunity, stage_of
from followup_gen.rules.followup import FollowUp
from followup_gen.rules.kit import helped_by

# Kinds where you and they talked (in person, by video or on the phone).
MET_KINDS = frozenset({"meeting", "interview", "informational-interview"})
# The interactions that count as "this letter, sent before" for the letters
# that must not repeat themselves (the count picks the next variant).
SENT_KINDS = {
    "resume-follow-up": ("follow-up",),
    "keep-in-touch": ("check-in",),
    "bridge-check-in": ("check-in", "follow-up"),
}


@dataclass(frozen=True, slots=True)
class Help:
    """One thing a helper did: its kind, when, for which opportunity, to whom."""

    kind: str
    date: dt.date
    opportunity: Opportunity | None
    # The people an introduction was to (names), when the records say.
    to: tuple[str, ...] = ()
    specifics: tuple[str, ...] = ()
    channel: str | None = None


@dataclass(frozen=True, slots=True)
class Story:
    """The facts behind one letter to one person.

    ``met``: you talked with them (a meeting, interview or informational
    interview); ``interviewed``: there was an interview for the opportunity
    (with anyone); ``panel``: the names of the others at the interview the
    letter is about; ``sent``: how many of this letter you already logged to
    them (``SENT_KINDS``), which picks the variant so no two are alike;
    ``last``: your latest interaction with them up to the letter's day;
    ``helped``: what they did for this search (a thank-you names it).
    """

    met: bool = False
    interviewed: bool = False
    panel: tuple[str, ...] = ()
    sent: int = 0
    last: Interaction | None = None
    helped: tuple[Help, ...] = ()
    applied: dt.date | None = None


def _help(crm: CRM, interaction: Interaction, contact_id: str) -> Help:
    opportunity = crm.opportunities.get(interaction.opportunity or "")
    to: tuple[str, ...] = ()
    if interaction.kind == "introduction":
        others = [c for c in interaction.contacts if c != contact_id]
        if not others and opportunity is not None:
            others = [c for c in opportunity.contacts if c != contact_id]
        to = tuple(crm.contacts[c].name for c in others if c in crm.contacts)
    return Help(
        interaction.kind,
        interaction.date,
        opportunity,
        to,
        interaction.specifics,
        interaction.channel,
    )


def _helped(crm: CRM, item: FollowUp, cause: Interaction | None) -> tuple[Help, ...]:
    """What the contact did: the favour a thank-you is for, or (close-the-loop)
    everything they did for the search you just ended, referrals included."""
    if item.rule != "close-the-loop":
        if cause is not None and item.contact in helped_by(crm, cause):
            return (_help(crm, cause, item.contact),)
        return ()
    mine = crm.with_contact(item.contact)
    accepted = cause.date if cause is not None else dt.date.max
    earlier = [i for i in crm.interactions if i.kind == "accepted" and i.date < accepted]
    since = earlier[-1].date if earlier else dt.date.min
    found = [
        _help(crm, i, item.contact)
        for i in mine
        if since < i.date <= accepted and item.contact in helped_by(crm, i)
    ]
    covered = {h.opportunity.id for h in found if h.kind == "referral" and h.opportunity}
    for opportunity in crm.opportunities.values():
        if opportunity.referred_by == item.contact and opportunity.id not in covered:
            found.append(Help("referral", accepted, opportunity))
    return tuple(found)


def _sent(crm: CRM, item: FollowUp, cause: Interaction | None, today: dt.date) -> int:
    kinds = SENT_KINDS.get(item.rule)
    if not kinds:
        return 0
    mine = [i for i in crm.with_contact(item.contact) if i.kind in kinds and i.date <= today]
    if item.rule == "resume-follow-up":
        applications = [i for i in crm.about(item.opportunity or "") if i.kind == "application"]
        start = applications[-1].sort_key if applications else None
        return sum(
            1
            for i in mine
            if i.opportunity == item.opportunity and (start is None or i.sort_key > start)
        )
    if item.rule == "bridge-check-in" and cause is not None:
        return sum(1 for i in mine if i.sort_key > cause.sort_key)
    return len(mine)


def story(crm: CRM, item: FollowUp, cause: Interaction | None, today: dt.date) -> Story:
    """The facts one letter rests on (see ``Story``), from the records up to ``today``."""
    contact_id = item.contact
    mine = tuple(i for i in crm.with_contact(contact_id) if i.date <= today)
    about = crm.about(item.opportunity) if item.opportunity else ()
    applications = [i for i in about if i.kind == "application"]
    panel: tuple[str, ...] = ()
    if cause is not None and cause.kind in MET_KINDS:
        panel = tuple(
            crm.contacts[c].name for c in dict.fromkeys(cause.contacts)
            if c != contact_id and c in crm.contacts
        )  # fmt: skip
    return Story(
        met=any(i.kind in MET_KINDS for i in mine),
        interviewed=any(i.kind == "interview" for i in about if i.date <= today),
        panel=panel,
        sent=_sent(crm, item, cause, today),
        last=mine[-1] if mine else None,
        helped=_helped(crm, item, cause),
        applied=applications[-1].date if applications else None,
    )


# --- the search as news ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Search:
    """Where the job search stands on a day, for a check-in's news.

    Company names by stage (the latest activity first) and the role you are
    after: that of the most advanced opportunity still open (the latest one
    among equals), or of the one you accepted.
    """

    accepted: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    interviewing: tuple[str, ...] = ()
    applied: tuple[str, ...] = ()
    role: str | None = None
    accepted_role: str | None = None


def search(crm: CRM, today: dt.date) -> Search:
    """The search as of ``today``: which companies are at which stage."""
    by_stage: dict[str, list[tuple[dt.date, Opportunity]]] = {}
    for opportunity in crm.opportunities.values():
        steps = [i for i in crm.about(opportunity.id) if i.date <= today]
        if steps:
            now = stage_of(opportunity, steps)
            by_stage.setdefault(now, []).append((steps[-1].date, opportunity))
    # The role you are after: the most advanced open opportunity's, the latest first.
    latest = None
    for name in ("accepted", "offer", "interviewing", "applied", "lead"):
        if by_stage.get(name):
            latest = max(by_stage[name], key=lambda pair: pair[0])
            break

    def companies(name: str) -> tuple[str, ...]:
        found = sorted(by_stage.get(name, ()), key=lambda pair: pair[0], reverse=True)
        return tuple(dict.fromkeys(o.company for _, o in found))

    accepted = sorted(by_stage.get("accepted", ()), key=lambda pair: pair[0])
    return Search(
        accepted=companies("accepted"),
        offers=companies("offer"),
        interviewing=companies("interviewing"),
        applied=companies("applied"),
        role=latest[1].role if latest else None,
        accepted_role=accepted[-1][1].role if accepted else None,
    )


def recruiter(contact: Contact) -> bool:
    """A recruiter (by their title): greeted by first name like a colleague."""
    title = (contact.title or "").casefold()
    return any(word in title for word in ("recruit", "talent", "sourcer", "headhunter"))
