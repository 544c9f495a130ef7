"""What every upstream emulator shares: fault injection, the request log, and the serve-until-stopped loop."""
