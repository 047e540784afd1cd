from . import test_subscription_commission
