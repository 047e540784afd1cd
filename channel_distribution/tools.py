# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.addons.portal.utils import validate_thread_with_token


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


def channel_subscribe_hiding(records, partner_ids, hidden, subscribe):
    """Subscribe ``partner_ids`` to ``records`` but, on each record, the
    people of the commercial partners it hides (``hidden``: record ->
    commercial partners, or no entry), through ``subscribe(records,
    partner_ids)`` (the ``_message_subscribe`` of the model's parent class):
    once for all the records when none hides anyone, else once per group of
    records that keep the same partners.
    """
    if not partner_ids or not any(hidden.values()):
        return subscribe(records, partner_ids)
    nobody = records.env["res.partner"]
    partners = nobody.sudo().browse(partner_ids)
    groups = {}
    for record in records:
        customers = hidden.get(record) or nobody
        kept = tuple(
            partner.id
            for partner in partners
            if partner.commercial_partner_id not in customers
        )
        groups.setdefault(kept, records.browse())
        groups[kept] |= record
    for kept, group in groups.items():
        subscribe(group, list(kept))
    return True


def channel_thread_by_pid(model, thread, thread_id, mode, kwargs):
    """Judge, when it is used, a pid/hash pair (portal's signed link of a
    mail) that ``_get_thread_with_access`` of ``model`` accepted for
    ``thread``: on a channel document it serves only a partner who may
    still have the document (not the record's ``_channel_is_outsider``).
    The user's own rights and the document's access token keep Odoo's
    rules.

    :return: ``thread``, or an empty recordset of ``model``
    """
    if not thread or not kwargs.get("pid") or not kwargs.get("hash"):
        return thread
    try:
        partner = model.env["res.partner"].browse(int(kwargs["pid"]))
    except (TypeError, ValueError):
        return model.browse()
    if not thread._channel_is_outsider(partner):
        return thread
    record = model.browse(thread_id)
    if record.exists() and record.has_access(mode):
        return thread
    if validate_thread_with_token(record.sudo(), kwargs.get("token")):
        return thread
    return model.browse()
