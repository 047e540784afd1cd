from . import test_subscription_commission
from . import test_finance_year
from . import test_finance_coterm_year
from . import test_finance_controller
from . import test_finance_walk9
from . import test_finance_walk10
from . import test_finance_walk11
from . import test_finance_walk12
