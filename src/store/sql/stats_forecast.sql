SELECT due_ms FROM item
WHERE removed = 0 AND suspended = 0 AND phase > 0 AND due_ms < ?1
