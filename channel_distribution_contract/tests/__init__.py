from . import test_start
from . import test_billing
from . import test_changes
from . import test_concurrency
from . import test_portal
from . import test_channel_analysis
from . import test_security
from . import test_prices
