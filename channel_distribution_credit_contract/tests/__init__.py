from . import test_subscription_paid
