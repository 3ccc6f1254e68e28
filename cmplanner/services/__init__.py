"""Use cases. Functions take a `Database`, return Read models or plain data, and every write
returns (and publishes) the `Changes` it made."""
