# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the channel's portal routes share: reading a record id from a form
or JSON value. Odoo's standard routes over channel orders are in
sale_portal.py; the distributor's self-service is channel_distribution_portal.
"""


def _to_int(value):
    """A record id from a form or JSON value, or None (ids out of
    PostgreSQL's integer range made the queries fail)."""
    try:
        value = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if 0 < value < 2**31 else None
