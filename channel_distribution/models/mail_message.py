# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tools import email_normalize

from ..tools import channel_access_first

# the fields of a message that make what it says, who said it, to whom
# and where: those of another's message on a channel record nobody but
# an administrator writes (its stars, needaction and pins stay anyone's)
CHANNEL_KEPT_MESSAGE_FIELDS = {
    "attachment_ids",
    "author_guest_id",
    "author_id",
    "body",
    "email_from",
    "message_type",
    "model",
    "parent_id",
    "partner_ids",
    "reply_to",
    "res_id",
    "subject",
    "subtype_id",
}


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._channel_check_own_message(vals)
            self._channel_check_party_author(vals)
        return super().create(vals_list)

    @channel_access_first("write")
    def write(self, vals):
        self._channel_check_own_message(vals, written=True)
        self._channel_check_party_author(vals, written=True)
        self._channel_check_kept_messages(vals)
        return super().write(vals)

    @channel_access_first("unlink")
    def unlink(self):
        self._channel_check_kept_messages()
        return super().unlink()

    def _channel_author_values(self, vals):
        """``vals`` of a new message with the author and From address it
        gets when they are not given (defaults of the context included)."""
        missing = [name for name in ("author_id", "email_from") if name not in vals]
        if not missing:
            return vals
        return dict(self.default_get(missing), **vals)

    def _channel_check_own_message(self, vals, written=False):
        """A portal or public user's message is its own: its author the
        user's partner, its From address the partner's own formatted
        address, its recipients (``partner_ids``) on a channel record among
        the record's followers (as ``mail.thread.message_post`` keeps them,
        P14-2). Odoo lets such a user create a message on a record it
        follows and write its own messages; over ``call_kw``
        (``mail.message`` ``create``/``write``) the author was any partner:
        a message read as the vendor's admin's in the chatter of a
        commissioning ticket (fifteenth probe, P15-5), or none at all, From
        "Mitchell Admin" at the user's own address (sixteenth probe, P16-4:
        a falsy author and the display name were not checked; the defaults
        of the context count as given). A guest's message (a public user's
        with the guest of the request) has no author and no From, as
        Odoo's ``message_post`` writes it. Flows running as superuser (a
        post with a mail's ``pid``/``hash`` or a record's token, the mail
        gateway) and internal users keep Odoo's rules. ``written``: a write
        of existing messages, whose Reply-To the user does not change
        either."""
        if self.env.su or self.env.user._is_internal():
            return
        values = vals if written else self._channel_author_values(vals)
        foreign = (
            self._channel_foreign_author(values)
            or (written and ("reply_to" in vals or "author_guest_id" in vals))
            or self._channel_foreign_recipients(vals)
        )
        if foreign:
            raise AccessError(
                self.env._(
                    "You write messages as yourself only, from your own "
                    "address, to the followers of the document."
                )
            )

    def _channel_foreign_author(self, values):
        """Whether ``values`` give a message of the (portal or public) user
        another author or From address than its partner's own."""
        partner = self.env.user.partner_id
        if self.env.user._is_public():
            guest = self.env["mail.guest"]._get_guest_from_context()
            if (
                guest
                and values.get("author_guest_id") == guest.id
                and not values.get("author_id")
                and not values.get("email_from")
            ):
                return False
        author = values.get("author_id")
        author = getattr(author, "id", author) or False
        return ("author_id" in values and author != partner.id) or (
            "email_from" in values
            and (values["email_from"] or False) != (partner.email_formatted or False)
        )

    def _channel_foreign_recipients(self, vals):
        """Whether ``partner_ids`` of ``vals`` (ids or link/set commands)
        names a partner that the channel record of the message does not
        keep (``mail.thread._channel_kept_recipients``)."""
        commands = vals.get("partner_ids") or []
        ids = set()
        for command in commands:
            if isinstance(command, int):
                ids.add(command)
            elif command[0] == Command.LINK:
                ids.add(command[1])
            elif command[0] == Command.SET:
                ids.update(command[2])
        model = vals.get("model") or (self[:1].model if self else False)
        res_id = vals.get("res_id") or (self[:1].res_id if self else False)
        if not ids or not model or model not in self.env:
            return False
        Thread = self.env[model]
        if not hasattr(Thread, "_channel_kept_recipients"):
            return False
        kept = Thread.browse(res_id)._channel_kept_recipients(list(ids))
        return bool(ids - set(kept))

    def _channel_check_party_author(self, vals, written=False):
        """An internal user's message (posted, notified, created or
        written) is by the user's own partner or by a partner that is no
        party of the channel (a distributor, an end customer managed by
        one, their contacts), and From no address of such a party: Odoo
        takes any author and From from an internal caller, and a plain
        employee mailed any partner From a distributor's contact, a channel
        user and an accountant wrote "by" the distributor in its order's
        and invoice's chatter, mailed to its followers (sixteenth probe,
        P16-B3). Flows running as superuser (the mail gateway, the
        product's notes, Odoo's portal routes) keep their authors.
        ``written``: a write of existing messages (no defaults)."""
        if self.env.su or not self.env.user._is_internal():
            return
        values = vals if written else self._channel_author_values(vals)
        partner = self.env.user.partner_id
        Partner = self.env["res.partner"].sudo()
        author = values.get("author_id")
        author = Partner.browse(getattr(author, "id", author) or [])
        address = email_normalize(values.get("email_from") or "")
        party = (author - partner)._channel_is_party()
        if not party and address and address != partner.email_normalized:
            party = Partner.search(
                [("email_normalized", "=", address), ("id", "!=", partner.id)]
            )._channel_is_party()
        if party:
            raise AccessError(
                self.env._(
                    "You write messages as yourself, not as a distributor's "
                    "or an end customer's person nor from their address."
                )
            )

    def _channel_check_kept_messages(self, vals=None):
        """On a channel record (``mail.thread._channel_keeps_messages``: a
        channel order, invoice, subscription, a commissioning ticket) a
        message that is not the user's own (another author) is written
        (``vals``: what it says, who said it, to whom, where) and deleted by
        administrators and flows running as superuser only: its chatter is
        the record's audit trail (the notes of due date moves, of
        exceptions granted to a higher role), which Odoo lets whoever
        writes the record rewrite and delete (sixteenth probe, P16-B9: the
        accountant rewrote then deleted "Due date moved ... by
        Accmanager"). One's own messages, stars, needaction and pins keep
        Odoo's rules."""
        if self.env.su or self.env.user._is_system():
            return
        if vals is not None and not CHANNEL_KEPT_MESSAGE_FIELDS & set(vals):
            return
        partner = self.env.user.partner_id
        res_ids = defaultdict(set)
        for message in self.sudo():
            if message.model and message.res_id and message.author_id != partner:
                res_ids[message.model].add(message.res_id)
        for model, ids in res_ids.items():
            if model not in self.env:
                continue
            records = self.env[model].sudo().browse(list(ids)).exists()
            if not hasattr(records, "_channel_keeps_messages"):
                continue
            if any(record._channel_keeps_messages() for record in records):
                raise AccessError(
                    self.env._(
                        "The messages of others in the chatter of a channel "
                        "document are its record: only an administrator "
                        "changes or deletes them."
                    )
                )
