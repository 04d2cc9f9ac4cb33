"""`python -m pdkg` runs the CLI."""

from pdkg.cli import main

if __name__ == "__main__":
    main()
