from . import channel_distributor_tier
from . import res_partner
from . import res_users
from . import product_pricelist
from . import product_template
from . import sale_order
from . import sale_order_line
from . import payment_transaction
