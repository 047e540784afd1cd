# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import functools
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from odoo.addons.portal.utils import get_portal_partner
from odoo.exceptions import AccessError, UserError


def channel_stored_computes(model, writable=()):
    """The names of the stored computed fields of ``model`` that nobody
    writes: computed, without an inverse and not ``readonly=False`` (a
    stored related field too), but those of ``writable``."""
    return frozenset(
        name
        for name, field in model._fields.items()
        if field.store and field.compute and field.readonly and name not in writable
    )


def channel_access_first(operation):
    """Decorate an override of ``write``, ``unlink`` or a button of a model
    whose checks name the records they refuse: when a check refuses a
    caller who may not ``operation`` these records at all, the caller gets
    Odoo's access error instead, which names nothing (sixteenth probe,
    P16-1: portal users read other parties' invoice numbers, end customers
    and contacts from the product's refusals, id after id). Free when
    nothing is refused."""

    def decorate(method):
        @functools.wraps(method)
        def checked(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UserError:
                if not self.env.su:
                    self.check_access(operation)
                raise

        return checked

    return decorate


def channel_check_scheduler(env, job):
    """Refuse to run the scheduled ``job`` (its name, for the message) for
    a caller other than its scheduled action's user (the superuser) or an
    administrator: Odoo runs a server action without groups for anyone who
    writes its model, and a job run by a user reads (and bills, settles)
    only what that user reads, then moves the dates the real run goes by."""
    if not env.is_system():
        raise AccessError(
            env._(
                "%(job)s runs as its scheduled action, or by an administrator.",
                job=job,
            )
        )


def channel_field_labels(records, names):
    """The labels of the fields ``names`` of ``records``' model, in the
    user's language, separated by commas (the fields a message refuses)."""
    return ", ".join(
        records._fields[name]._description_string(records.env) for name in names
    )


def channel_share_url_args(record, signup_partner=False, pid=None, share_token=True):
    """The arguments of ``portal.mixin._get_share_url`` for a link to a
    channel document (an order, an invoice) made for the partner ``pid``
    (the Share action): judged by that recipient, not by the user who
    sends it. A recipient outside the document's party (the record's
    ``_channel_is_outsider``) gets neither its access token nor a pid/hash
    (with it, one reads the document's followers and attachments and posts
    in its chatter as that partner).

    :return: a dict of ``signup_partner``, ``pid`` and ``share_token``
    """
    outsider = bool(
        pid
        and len(record) == 1
        and record._channel_is_outsider(record.env["res.partner"].browse(pid))
    )
    return {
        "signup_partner": signup_partner and not outsider,
        "pid": None if outsider else pid,
        "share_token": share_token and not outsider,
    }


def channel_subscribe_kept(records, partner_ids, kept, subscribe):
    """Subscribe to each record of ``records`` the partners of
    ``partner_ids`` it keeps (``kept(record, partner)``), through
    ``subscribe(records, partner_ids)`` (the ``_message_subscribe`` of the
    model's parent class), once per group of records that keep the same
    partners.
    """
    partners = records.env["res.partner"].sudo().browse(partner_ids)
    groups = {}
    for record in records:
        ids = tuple(partner.id for partner in partners if kept(record, partner))
        groups.setdefault(ids, records.browse())
        groups[ids] |= record
    for ids, group in groups.items():
        subscribe(group, list(ids))
    return True


def channel_subscribe_audience(records, partner_ids, subscribe):
    """Subscribe to each record of ``records`` the partners of
    ``partner_ids`` of its audience (``record._channel_may_follow(partner)``),
    through ``subscribe(records, partner_ids)`` (the ``_message_subscribe``
    of the model's parent class): once for all the records when none is a
    channel record (``_channel_keeps_recipients``)."""
    channel = records.filtered(lambda record: record._channel_keeps_recipients())
    if not partner_ids or not channel:
        return subscribe(records, partner_ids)
    return channel_subscribe_kept(
        records,
        partner_ids,
        lambda record, partner: (
            record not in channel or record._channel_may_follow(partner)
        ),
        subscribe,
    )


def channel_thread_by_pid(model, thread, thread_id, mode, kwargs):
    """Judge, when it is used, a pid/hash pair (portal's signed link of a
    mail) that ``_get_thread_with_access`` of ``model`` accepted for
    ``thread``. A user's own rights keep Odoo's rules; else the pair, with
    or without the document's access token, serves a channel document only
    when the author of what is posted is of the document's audience (not
    the record's ``_channel_is_outsider``): the pair's own partner for a
    visitor who is not logged in (the portal's routes make it the author),
    the user itself for a logged-in user (who posts as itself). So an
    outsider's pair is refused even with the token, and a pair forwarded
    to a logged-in outsider serves it nothing. Without a pair, the token
    keeps Odoo's rules.

    :return: ``thread``, or an empty recordset of ``model``
    """
    if not thread or not kwargs.get("pid") or not kwargs.get("hash"):
        return thread
    record = model.browse(thread_id)
    if record.exists() and record.has_access(mode):
        return thread
    user = model.env.user
    if user._is_public():
        try:
            author = get_portal_partner(
                thread.sudo(), kwargs["hash"], kwargs["pid"], kwargs.get("token")
            )
        except (TypeError, ValueError):
            return model.browse()
    else:
        author = user.partner_id
    if thread._channel_is_outsider(author):
        return model.browse()
    return thread


def channel_url_without_token(url):
    """``url`` without its ``token`` parameter (a signup link)."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != "token"]
    return urlunsplit(parts._replace(query=urlencode(query)))
