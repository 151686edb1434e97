INSERT INTO sync_setting (key, value, hlc, device, origin) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, hlc = excluded.hlc,
                                device = excluded.device, origin = excluded.origin
