from . import test_dunning
from . import test_portal
