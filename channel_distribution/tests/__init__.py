from . import test_channel_order
