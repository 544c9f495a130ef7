"""Xero's wire model: the canonical model of the gateway.

A leaf package: it imports nothing else from the project. Pydantic models with Xero's PascalCase names
(``models``), MS-JSON dates (``dates``), the response envelope (``envelope``), the error tree (``errors``),
XML request bodies (``xmlbody``), XML answers (``xmlrender``), the ``where``/``order`` query language (``query``),
and the readers of the protocol's values: GUIDs (``guids``), request element fields (``fields``) and typed query
parameters (``parameters``).
"""
