# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.exceptions import AccessError


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _channel_keeps_recipients(self):
        """Hook: whether these records are channel records (orders,
        invoices, subscriptions, tickets of the addons) whose messages a
        portal or public user sends to their followers only."""
        return False

    def _channel_keeps_messages(self):
        """Hook: whether these records are channel records whose chatter is
        their audit trail, the messages of others in it written and deleted
        by administrators only (``mail.message._channel_check_kept_messages``):
        by default the channel records of ``_channel_keeps_recipients``."""
        return self._channel_keeps_recipients()

    def _channel_kept_recipients(self, partner_ids):
        """``partner_ids`` of a message posted on these records, kept to
        their followers when the author is no internal user and the records
        are the channel's: Odoo's portal route (``/mail/message/post``) does
        so, a ``message_post`` over ``call_kw`` did not (fourteenth probe,
        P14-2: a distributor's user mailed its ticket and invoice to other
        distributors' people from the vendor's server)."""
        if (
            not partner_ids
            or not self
            or self.env.user._is_internal()
            or not self._channel_keeps_recipients()
        ):
            return partner_ids
        ids = [pid for pid in partner_ids if isinstance(pid, int)]
        followers = (
            self.env["mail.followers"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("partner_id", "in", ids),
                ]
            )
            .partner_id
        )
        return [pid for pid in ids if pid in followers.ids]

    def _channel_kept_post_params(self, kwargs):
        """The parameters of a message a portal or public user posts on
        these channel records itself (not through a flow running as
        superuser): those Odoo's portal route takes
        (``_get_allowed_message_post_params``), the others dropped. Over
        ``call_kw`` a portal user sent mail From and Reply-To the vendor's
        staff (``email_from``; fourteenth probe, P14-2)."""
        if (
            self.env.su
            or not self
            or self.env.user._is_internal()
            or not self._channel_keeps_recipients()
        ):
            return kwargs
        allowed = self._get_allowed_message_post_params()
        return {name: value for name, value in kwargs.items() if name in allowed}

    def _channel_check_notify_sender(self):
        """A notification (``message_notify``: a mail to the partners given,
        on no record or a record, not shown in its chatter) is sent by the
        vendor's users and by flows running as superuser only. A portal or
        public user calling it over ``call_kw`` mailed any partner From and
        Reply-To any address, with no record at all (fifteenth probe,
        P15-1; P14-2's rule covers ``message_post``, which has the record's
        followers to keep to). Odoo's portal routes notify through
        ``message_post`` or as superuser."""
        if self.env.su or self.env.user._is_internal():
            return
        raise AccessError(
            self.env._(
                "Only the vendor's users send notifications. Write in the "
                "chatter of your document instead."
            )
        )

    def _message_update_content(
        self,
        message,
        body,
        attachment_ids=None,
        partner_ids=None,
        strict=True,
        **kwargs,
    ):
        # Odoo's chatter edit route (/mail/message/update_content) writes
        # the message as superuser: the recipients of a portal or public
        # user's edit are kept to the record's followers as its post's are,
        # so nothing foreign is stored, nor named in the route's answer
        # (sixteenth probe, P16-2)
        if partner_ids:
            partner_ids = self._channel_kept_recipients(list(partner_ids))
        return super()._message_update_content(
            message,
            body,
            attachment_ids=attachment_ids,
            partner_ids=partner_ids,
            strict=strict,
            **kwargs,
        )

    @api.returns("mail.message", lambda value: value.id)
    def message_notify(self, **kwargs):
        self._channel_check_notify_sender()
        return super().message_notify(**kwargs)

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        kwargs = self._channel_kept_post_params(kwargs)
        if kwargs.get("partner_ids"):
            kwargs["partner_ids"] = self._channel_kept_recipients(kwargs["partner_ids"])
        return super().message_post(**kwargs)
