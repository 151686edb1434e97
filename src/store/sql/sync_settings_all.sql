SELECT key, value, hlc, device, origin FROM sync_setting ORDER BY key
