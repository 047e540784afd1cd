# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models

from ..tools import channel_access_first

# What says where a partner's money goes: Odoo's vendor bills and payments
# take the partner's first bank account (by sequence, trusted ones first,
# of the company or of none, active), paid to its number at its bank.
PAYOUT_FIELDS = frozenset(
    (
        "partner_id",
        "acc_number",
        "sanitized_acc_number",
        "bank_id",
        "acc_holder_name",
        "allow_out_payment",
        "active",
        "company_id",
        "currency_id",
        "sequence",
    )
)


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            default = self.env.context.get("default_partner_id")
            holders = [vals.get("partner_id", default) for vals in vals_list]
            self.env["res.partner"].browse(
                [holder for holder in holders if holder]
            )._channel_check_bank_accounts_user()
        return super().create(vals_list)

    @channel_access_first("write")
    def write(self, vals):
        if not self.env.su:
            changed = self._channel_payout_changed(vals)
            holders = changed.sudo().partner_id.ids
            if changed and vals.get("partner_id"):
                holders.append(vals["partner_id"])
            self.env["res.partner"].browse(holders)._channel_check_bank_accounts_user()
        return super().write(vals)

    @channel_access_first("unlink")
    def unlink(self):
        if not self.env.su:
            self.env["res.partner"].browse(
                self.sudo().partner_id.ids
            )._channel_check_bank_accounts_user()
        return super().unlink()

    @api.model
    def _channel_payout_fields(self):
        """The fields of a bank account that say where its holder's money
        goes (hook)."""
        return set(PAYOUT_FIELDS)

    def _channel_payout_changed(self, vals):
        """These accounts whose payout fields ``vals`` changes (a form that
        saves a value unchanged changes nothing)."""
        names = self._channel_payout_fields() & set(vals)
        if not names:
            return self.browse()
        changed = self.sudo().filtered(
            lambda bank: any(
                bank._channel_value_changed(name, vals[name]) for name in names
            )
        )
        return self.browse(changed.ids)

    def _channel_value_changed(self, name, value):
        """Whether writing ``value`` to the field ``name`` changes it."""
        self.ensure_one()
        field = self._fields[name]
        new = field.convert_to_cache(value, self, validate=False)
        old = field.convert_to_cache(self[name], self, validate=False)
        return (new or False) != (old or False)
