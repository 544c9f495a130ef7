"""Test support shared by the test packages, the contract walk and the benchmarks: one stack per source
(:mod:`tests.support.native`, :mod:`tests.support.qbo`, :mod:`tests.support.sage`) behind one API
(:class:`tests.support.stack.Stack`)."""
