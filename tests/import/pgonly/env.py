"""Alembic environment of the importer's test project: the URL comes from
`-x url=...`, one transaction per revision."""
from alembic import context
from sqlalchemy import create_engine, pool

config = context.config


def url():
    return (context.get_x_argument(as_dictionary=True).get("url")
            or config.get_main_option("sqlalchemy.url"))


engine = create_engine(url(), poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
