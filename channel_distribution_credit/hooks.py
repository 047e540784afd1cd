# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def post_init_hook(env):
    """Recurring order lines already in the database leave the sales orders
    risk (stored by OCA before this addon): recompute theirs."""
    Line = env["sale.order.line"]
    if "is_contract" not in Line._fields:
        return
    lines = Line.search([("is_contract", "=", True), ("risk_amount", "!=", 0.0)])
    if lines:
        env.add_to_compute(Line._fields["risk_amount"], lines)
        lines.flush_recordset(["risk_amount"])
