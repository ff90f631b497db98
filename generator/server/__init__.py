"""`worker-client-gen serve`: a local stand-in for worker-backend (docs/contract.md).

`app.create_app` builds the Starlette app, `store` keeps jobs (in memory or in BullMQ on
Redis), `runner` runs it under uvicorn, `cli.serve_command` is the command.
"""
