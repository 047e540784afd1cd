from . import test_subscription_commission
from . import test_finance_year
