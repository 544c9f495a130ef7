"""What every upstream emulator shares; each emulator keeps only its upstream's differences.

- :mod:`.app`: the app factory; :mod:`.state`: the typed state every emulator's extends;
- :mod:`.config`: the common settings, fault rules and developer apps;
- :mod:`.oauth`: the OAuth 2.0 authorization server (Authlib) with per-upstream hooks;
- :mod:`.clock`: the adjustable clock; :mod:`.admin`: the ``/_emulator`` test hooks;
- :mod:`.injection`: fault injection and the request log; :mod:`.serve`: the serve-until-stopped loop.

Nothing here imports the gateway or the adapters.
"""
