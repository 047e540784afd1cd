from . import test_channel_order
from . import test_commissioning
