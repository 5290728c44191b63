"""The jixiao binding's unittest suite (see _support.py for the environment)."""
