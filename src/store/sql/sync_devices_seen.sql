SELECT DISTINCT device FROM sync_file
