"""Sage 50 Accounts UK connector: the on-premise agent of the xero-gateway's source 1001.

It only makes outbound requests: it pairs with the gateway once, then long-polls it for write jobs, executes them
through Sage Data Objects and pushes the company's rows, read through ODBC, incrementally (docs/sage50-agent.md in
the gateway's repository has the protocol).
"""

__version__ = "0.1.0"
