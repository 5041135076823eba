"""The command line: a typer app whose commands call the data layer."""
