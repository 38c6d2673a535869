"""One module per subcommand, each a plain function returning an exit status."""
