from . import test_probe
from . import test_subscription_paid
from . import test_subscription_risk
