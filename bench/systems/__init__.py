"""The systems the benchmark compares, in table order.

A system builds a harness Machine (not started) and maps each figure's key
to a probe (probes.py), or to NOT_YET / NOT_APPLICABLE. Adding a figure to
a system is one entry in its probes.
"""
from systems.bare import BareQemu
from systems.mica import Mica
from systems.xen import Xen

SYSTEMS = [Xen(), BareQemu(), Mica()]
