from . import treaty  # noqa: F401  (registers its models)
