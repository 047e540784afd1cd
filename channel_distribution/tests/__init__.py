from . import test_channel_order
from . import test_security
from . import test_portal
from . import test_commissioning
from . import test_commissioning_batch
from . import test_invoicing
from . import test_access_paths
from . import test_abuse
