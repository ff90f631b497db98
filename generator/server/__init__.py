"""`worker-client-gen serve`: a local stand-in for worker-backend (docs/contract.md).

`app.create_app` builds the Starlette app, `store` keeps jobs (in memory or in BullMQ on
Redis), `runner` runs it under uvicorn, `cli.serve_command` is the command.
"""

# A job body is a payload and its options; a megabyte is far more than any message needs,
# and reading more would let one request hold the process's memory (`serve --max-body`).
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
