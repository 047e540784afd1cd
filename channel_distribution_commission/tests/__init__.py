from . import test_commission_amount
from . import test_settlement
from . import test_portal
from . import test_probe
