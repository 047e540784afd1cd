from . import test_commissioning
from . import test_commissioning_batch
from . import test_access
from . import test_abuse
from . import test_business_role
from . import test_coexistence
from . import test_portal
from . import test_probe
