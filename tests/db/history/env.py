from gong_connector.db._migrate import run_migrations

run_migrations()
