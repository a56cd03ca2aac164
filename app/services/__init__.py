"""Use cases shared by the web pages, the API and the CLI: the only code that writes to the database."""
