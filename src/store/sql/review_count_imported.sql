-- Imported answers carry the uid prefix of their source app.
SELECT count(*) FROM review WHERE substr(uid, 1, length(:prefix)) = :prefix
