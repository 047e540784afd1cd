# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access policy of consolidated invoicing, as a table: the rows of this
addon in the base's access matrix (same roles and users)."""

from odoo.addons.channel_distribution.tests import test_security
from odoo.addons.channel_distribution.tests.common import ROLES
from odoo.tests import tagged

# object / operation           sales chan  mgr  acct portD portC pub
ORM_MATRIX = """
invoicing_schedule write         -     -    Y    -     -     -    -
"""


@tagged("post_install", "-at_install")
class TestInvoicingAccessMatrix(test_security.TestAccessMatrix):
    # The base's other tests run with the base.
    test_channel_user_sees_channel_orders_only = None

    def _op_invoicing_schedule(self, env, operation, role):
        return self.distributor_a.with_env(env).write(
            {"channel_invoicing_period": "weekly"}
        )

    def test_orm_matrix(self):
        cells = test_security.parse_matrix(ORM_MATRIX)
        self.assertEqual(len(cells), 1 * len(ROLES))
        self.check_orm_table(cells)
